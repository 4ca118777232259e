import { describe, expect, it } from 'vitest';
import { fingerprint, isSameStory, normalisedWords, SHINGLE_WORDS } from '../../src/index/near-duplicates.js';
import { StoryRegistry } from '../../src/index/story-registry.js';
import type { IndexDocument } from '../../src/pipeline/types.js';

// One agency text in our own words, and the ways portals change it.
const PARAGRAPHS = [
  'Nach dem Angriff auf die kommunale IT in Westmecklenburg sollen die Bürgerbüros in Schwerin ab Montag wieder erste Termine vergeben.',
  'Zunächst könnten nur Ausweise und Meldebescheinigungen bearbeitet werden, teilte die Stadtverwaltung am Freitag mit.',
  'Die Zulassung von Fahrzeugen bleibe dagegen weiter eingeschränkt, weil die Fachverfahren noch nicht wieder angebunden seien.',
  'Der IT-Dienstleister arbeite mit Hochdruck daran, die Systeme Schritt für Schritt wieder in Betrieb zu nehmen.',
  'Wann der Normalbetrieb erreicht werde, lasse sich noch nicht sagen, hieß es aus dem Rathaus.',
];
const ORIGINAL = `Schwerin (dpa/mv) - ${PARAGRAPHS.join('\n\n')}`;
const OTHER_DATELINE = `Schwerin/Parchim (dpa/mv) - ${PARAGRAPHS.join('\n\n')}`;
const TRIMMED = `Schwerin (dpa/mv) - ${PARAGRAPHS.slice(0, 4).join('\n\n')}`;
const UPDATED = `${ORIGINAL}\n\nAm Nachmittag kündigte die Stadt zusätzlich längere Öffnungszeiten für den Dienstag an.`;
const OTHER_STORY = 'Parchim (dpa/mv) - Im Landkreis Ludwigslust-Parchim können rund 3000 Temposünder nicht mehr belangt werden, weil nach dem Angriff auf die kommunale IT die Fristen für die Bußgeldbescheide verstrichen sind. Die Messdaten seien zwar gesichert, ließen sich aber nicht rechtzeitig bearbeiten, sagte ein Sprecher des Kreises.';

function doc(id: string, body: string, publishedAt: number): IndexDocument {
  return { id, storyId: id, body, publishedAt } as IndexDocument;
}

describe('same agency text', () => {
  it('recognises a copy with another dateline, a trimmed last paragraph, or an update', () => {
    const original = fingerprint(ORIGINAL);
    expect(isSameStory(original, fingerprint(OTHER_DATELINE))).toBe(true);
    expect(isSameStory(original, fingerprint(TRIMMED))).toBe(true);
    expect(isSameStory(original, fingerprint(UPDATED))).toBe(true);
  });

  it('keeps another story on the same incident apart', () => {
    expect(isSameStory(fingerprint(ORIGINAL), fingerprint(OTHER_STORY))).toBe(false);
  });
});

describe('story registry', () => {
  it('names a story after its earliest copy, whatever order the copies arrive in', () => {
    const docs = [doc('b', TRIMMED, 200), doc('a', ORIGINAL, 100), doc('c', UPDATED, 300), doc('z', OTHER_STORY, 50)];
    for (const order of [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]]) {
      const registry = new StoryRegistry(':memory:');
      for (const i of order) registry.assign([docs[i]!]);
      expect(['a', 'b', 'c', 'z'].map((id) => registry.storyOf(id))).toEqual(['a', 'a', 'a', 'z']);
      registry.close();
    }
  });

  it('queues a story update for copies already delivered when an earlier copy turns up', () => {
    const registry = new StoryRegistry(':memory:');
    expect(registry.assign([doc('late', TRIMMED, 500)])[0]!.storyId).toBe('late');
    expect(registry.pendingUpdates()).toEqual([]);
    const [early] = registry.assign([doc('early', ORIGINAL, 100)]);
    expect(early!.storyId).toBe('early');
    expect(registry.pendingUpdates()).toEqual([{ id: 'late', storyId: 'early' }]);
    registry.acknowledgeUpdates(registry.pendingUpdates());
    expect(registry.pendingUpdates()).toEqual([]);
    registry.close();
  });

  it('assigns a batch its final story ids and queues nothing for the batch itself', () => {
    const registry = new StoryRegistry(':memory:');
    const assigned = registry.assign([doc('b', TRIMMED, 200), doc('a', ORIGINAL, 100)]);
    expect(assigned.map((document) => document.storyId)).toEqual(['a', 'a']);
    expect(registry.pendingUpdates()).toEqual([]);
    registry.close();
  });
});

/** The documented definition, written plainly: FNV-1a of each run of four words joined by spaces. */
function referenceShingles(body: string): Set<number> {
  const words = normalisedWords(body);
  const fnv = (text: string): number => {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    return hash >>> 0;
  };
  const shingles = new Set<number>();
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) shingles.add(fnv(words.slice(i, i + SHINGLE_WORDS).join(' ')));
  if (shingles.size === 0 && words.length > 0) shingles.add(fnv(words.join(' ')));
  return shingles;
}

describe('fingerprint', () => {
  it('counts the same distinct shingles as the plain definition, for texts of every length', () => {
    const texts = [
      '',
      'Schwerin',
      'drei kurze Wörter',
      'genau vier Wörter hier',
      ORIGINAL,
      UPDATED,
      OTHER_STORY,
      `${'Die Verwaltung ist wieder erreichbar. '.repeat(400)}Straße Öffnungszeiten ÄÖÜß`,
      // letters outside Latin-1 and outside the BMP, digits of other scripts, marks that split words
      '𝐀𝐁𝐂 Wort 😀 日本語 テスト ﬁx İstanbul ΑΒΓ δέκα 123 ४५६ x𝐀y z',
      'Ümläute — „Zitat“ (dpa) - Straße 2021/22 #Hashtag @Amt',
    ];
    for (const text of texts) expect(fingerprint(text).shingleCount).toBe(referenceShingles(text).size);
  });

  it('gives a text the same signature however often it is fingerprinted (no state leaks between calls)', () => {
    const first = fingerprint(ORIGINAL);
    fingerprint(`${'Ein langer Text mit vielen Wörtern '.repeat(2000)}`);
    expect([...fingerprint(ORIGINAL).signature]).toEqual([...first.signature]);
    expect(fingerprint(ORIGINAL).shingleCount).toBe(first.shingleCount);
  });
});

describe('story registry, changed texts', () => {
  it('forgets the bands of a text that changed, so old copies no longer join it', () => {
    const registry = new StoryRegistry(':memory:');
    registry.assign([doc('page', ORIGINAL, 100)]);
    registry.assign([doc('page', OTHER_STORY, 100)]); // the page now carries another text
    const [copyOfOld, copyOfNew] = registry.assign([doc('old-copy', TRIMMED, 200), doc('new-copy', OTHER_STORY, 300)]);
    expect(copyOfOld!.storyId).toBe('old-copy');
    expect(copyOfNew!.storyId).toBe('page');
    registry.close();
  });

  it('prefers the copies sharing the most bands when many texts share some', () => {
    const registry = new StoryRegistry(':memory:');
    // 40 unrelated texts that share one boilerplate paragraph, more than the candidate limit
    const boilerplate = 'Weitere Informationen finden Sie auf der Internetseite der Stadtverwaltung Schwerin unter dem Stichwort Bürgerservice.';
    registry.assign(
      Array.from({ length: 40 }, (_, i) => doc(`noise-${String(i).padStart(2, '0')}`, `Meldung ${i} ${'wort'.repeat(1)}${i} zu Thema ${i * 7} am Tag ${i}. ${boilerplate}`, 10 + i)),
    );
    registry.assign([doc('a', ORIGINAL, 100)]);
    expect(registry.assign([doc('b', `${TRIMMED} ${boilerplate}`, 200)])[0]!.storyId).toBe('a');
    registry.close();
  });
});

describe('story registry shared by two processes', () => {
  it('sees copies another connection registered between its own batches', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'chronik-stories-')), 'stories.sqlite');
    const crawl = new StoryRegistry(file);
    const pending = new StoryRegistry(file);
    // common boilerplate so the band lists are long enough to be kept between batches
    const boilerplate = 'Weitere Informationen gibt es bei der Stadtverwaltung im Bürgerservice und auf der Internetseite der Stadt.';
    crawl.assign(Array.from({ length: 12 }, (_, i) => doc(`noise-${i}`, `Meldung ${i} über Thema ${i * 3}. ${boilerplate}`, 10 + i)));
    pending.assign([doc('original', `${ORIGINAL} ${boilerplate}`, 100)]);
    expect(crawl.assign([doc('copy', `${TRIMMED} ${boilerplate}`, 200)])[0]!.storyId).toBe('original');
    crawl.close();
    pending.close();
  });
});
