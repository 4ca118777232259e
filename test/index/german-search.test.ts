import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { compoundParts, germanSearchTerms, transliterate } from '../../src/index/german-terms.js';
import { openArticleIndex, type ArticleIndex } from '../../src/index/meili-client.js';
import { toIndexDocument } from '../../src/index/to-index-document.js';
import type { ArticleRecord } from '../../src/pipeline/types.js';

function record(slug: string, headline: string, body: string): ArticleRecord {
  return {
    url: `https://portal.example/${slug}`, canonicalUrl: `https://portal.example/${slug}`, site: 'portal.example',
    headline: { value: headline, source: 'markup' }, paragraphs: [body], images: [], relatedLinks: [],
    fetchedAt: '2024-01-01T00:00:00Z', published: { value: '2021-11-01T10:00:00+01:00', source: 'meta' },
  };
}

// Each article says its key word only in the form the query must reach.
const ARTICLES = {
  cyber: record('cyber', 'Verwaltung im Notbetrieb', 'Der Cyberangriff legte die Rechner lahm.'),
  hacker: record('hacker', 'Kreis zieht Bilanz', 'Nach dem Hackerangriff blieben die Ämter zu.'),
  strasse: record('strasse', 'Baustelle in Parchim', 'Die Lange Straße wird ab Montag gesperrt.'),
  fuehrer: record('fuehrer', 'Anträge wieder möglich', 'Wer einen Führerschein braucht, bekommt wieder Termine.'),
  buero: record('buero', 'Öffnungszeiten', 'Das Bürgerbüro öffnet am Dienstag länger.'),
  reef: record('reef', 'Tauchen an der Ostsee', 'Taucher erkunden ein künstliches Riff vor Rerik.'),
  ksm: record('ksm', 'Dienstleister meldet Fortschritt', 'Der Kommunalservice Mecklenburg hat erste Server wieder hochgefahren.'),
  sis: record('sis', 'Stadt-IT wieder erreichbar', 'Die SIS hat das Netz der Stadtverwaltung wieder geöffnet.'),
  sisLong: record('sisLong', 'Neue Leitung', 'Die Schweriner IT- und Servicegesellschaft bekommt einen neuen Geschäftsführer.'),
};

const TABLE: Array<{ query: string; mustFind: Array<keyof typeof ARTICLES>; mustNotFind: Array<keyof typeof ARTICLES> }> = [
  { query: 'Angriff', mustFind: ['cyber', 'hacker'], mustNotFind: ['reef', 'strasse'] },
  { query: 'Strasse', mustFind: ['strasse'], mustNotFind: ['cyber'] },
  { query: 'Fuehrerschein', mustFind: ['fuehrer'], mustNotFind: ['buero'] },
  { query: 'Buergerbuero', mustFind: ['buero'], mustNotFind: ['fuehrer'] },
  { query: 'Riff', mustFind: ['reef'], mustNotFind: ['cyber', 'hacker'] },
  { query: 'Cyberattacke', mustFind: ['cyber', 'hacker'], mustNotFind: ['reef'] },
  { query: 'KSM', mustFind: ['ksm'], mustNotFind: ['sis'] },
  { query: 'Schweriner IT- und Servicegesellschaft', mustFind: ['sis'], mustNotFind: ['ksm'] },
  { query: 'Kommunalservice Mecklenburg', mustFind: ['ksm'], mustNotFind: ['sis'] },
  { query: 'SIS', mustFind: ['sis', 'sisLong'], mustNotFind: ['ksm'] },
];

let index: ArticleIndex;

beforeAll(async () => {
  index = openArticleIndex(inject('meili'), `test-german-${randomUUID().slice(0, 8)}`);
  await index.prepare();
  await index.upsert(Object.values(ARTICLES).map(toIndexDocument));
});

describe('German as researchers type it, on a real Meilisearch', () => {
  it.each(TABLE)('"$query" finds $mustFind and not $mustNotFind', async ({ query, mustFind, mustNotFind }) => {
    const response = await index.search(query, { limit: 20 });
    const found = new Set(response.hits.map((hit) => hit.url.split('/').pop()));
    for (const slug of mustFind) expect(found.has(slug), `${query} → ${slug}`).toBe(true);
    for (const slug of mustNotFind) expect(found.has(slug), `${query} ↛ ${slug}`).toBe(false);
  });
});

describe('compound parts and transliterations', () => {
  it('splits at known heads, drops the linking s, and keeps left parts that are words', () => {
    expect(compoundParts('cyberangriff')).toEqual(['angriff', 'cyber']);
    expect(compoundParts('zulassungsstelle')).toEqual(['stelle', 'zulassung']);
    expect(compoundParts('bürgerbüro')).toEqual(['büro', 'bürger']);
  });

  it('never cuts a word into fragments that are not heads', () => {
    expect(compoundParts('angriff')).toEqual([]);
    expect(germanSearchTerms(['Cyberangriff']).split(' ')).not.toContain('riff');
    expect(germanSearchTerms(['Cyberangriff']).split(' ')).not.toContain('griff');
  });

  it('writes umlauts and ß the way a US keyboard types them', () => {
    expect(transliterate('führerschein')).toBe('fuehrerschein');
    expect(transliterate('straße')).toBe('strasse');
    expect(germanSearchTerms(['Bürgerbüro in der Straße']).split(' ')).toEqual(expect.arrayContaining(['buergerbuero', 'strasse', 'büro', 'buero']));
  });
});
