import { describe, expect, it } from 'vitest';
import { fingerprint, isSameStory } from '../../src/index/near-duplicates.js';
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
