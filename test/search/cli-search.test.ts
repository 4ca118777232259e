import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { openArticleIndex } from '../../src/index/meili-client.js';
import { toIndexDocument } from '../../src/index/to-index-document.js';
import type { IndexDocument } from '../../src/pipeline/types.js';
import { captureIo, writeConfig } from '../helpers/cli-io.js';

let configDir: string;
const indexName = `cli-search-${randomUUID().slice(0, 8)}`;

function copy(site: string, slug: string, headline: string, published: string, storyId?: string): IndexDocument {
  const document = toIndexDocument({
    url: `https://${site}/${slug}.html`, canonicalUrl: `https://${site}/${slug}.html`, site, headline: { value: headline, source: 'markup' },
    kicker: { value: 'Schwerin', source: 'markup' },
    paragraphs: [`Schwerin (dpa/mv) - ${headline}: die Stadtverwaltung meldet einen Cyberangriff.`], images: [], relatedLinks: [],
    fetchedAt: '2024-01-01T00:00:00Z', published: { value: published, source: 'meta' }, dateline: { place: 'Schwerin', agency: 'dpa/mv' },
  });
  return storyId ? { ...document, storyId } : document;
}

const env = () => ({ MEILI_URL: inject('meili').url, MEILI_MASTER_KEY: inject('meili').apiKey });

async function run(...args: string[]): Promise<{ status: number; out: string; err: string }> {
  const io = captureIo(env(), configDir);
  const status = await main(['search', ...args], io);
  return { status, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  configDir = await writeConfig(['http://127.0.0.1:1/'], `index:\n  name: ${indexName}`);
  const index = openArticleIndex(inject('meili'), indexName);
  await index.prepare();
  const first = copy('kurier.example', 'a', 'Rathaus nach Angriff dicht', '2021-10-15T11:42:00+02:00');
  const documents = [
    { ...first, tags: ['Verwaltung', 'Cyberangriff'] },
    copy('post.example', 'a', 'Rathaus nach Angriff dicht', '2021-10-15T12:00:00+02:00', first.id),
    { ...copy('post.example', 'b', 'Zulassungsstelle öffnet wieder', '2021-11-30T09:00:00+01:00'), tags: ['Kfz-Zulassung'] },
  ];
  // Enough copies of one more story to page past one request's 1,000 hits.
  for (let i = 0; i < 1100; i++) documents.push(copy('ticker.example', `m${i}`, `Meldung ${i}`, `2022-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00+01:00`));
  await index.upsert(documents);
});

describe('chronik search', () => {
  it('prints a readable table, in story view with the other sources', async () => {
    const { status, out } = await run('Rathaus', '--stories');
    expect(status).toBe(EXIT.ok);
    expect(out).toContain('2021-10-15 11:42  Schwerin: **Rathaus** nach Angriff dicht');
    expect(out).toContain('also: post.example 2021-10-15 12:00');
    expect(out.trimEnd().endsWith('1 story.')).toBe(true);
  });

  it('exports CSV and Markdown a spreadsheet or paper takes as they are', async () => {
    const csv = await run('Rathaus', '--format', 'csv');
    expect(csv.out.startsWith('\uFEFFpublished,day,site,')).toBe(true);
    expect(csv.out.split('\r\n').filter(Boolean)).toHaveLength(3);
    const markdown = await run('Rathaus', '--format', 'md', '--stories');
    expect(markdown.out).toMatch(/^\| Datum \| Quelle \| Schlagzeile \| Auch erschienen bei \| Auszug \|/);
  });

  it('exports past Meilisearch’s 1,000 hits per request, and stops at --limit', async () => {
    const all = JSON.parse((await run('Meldung', '--format', 'json', '--from', '2022-03-01')).out) as { total: number; hits: unknown[] };
    expect(all.total).toBe(1100);
    expect(all.hits).toHaveLength(1100);
    const some = JSON.parse((await run('Meldung', '--json', '--limit', '1050')).out) as { hits: unknown[] };
    expect(some.hits).toHaveLength(1050);
  });

  it('filters by --tag (repeatable: any of the tags), case-insensitively', async () => {
    const urls = async (...tagArgs: string[]) => {
      const { status, out } = await run('', ...tagArgs, '--json');
      expect(status).toBe(EXIT.ok);
      return (JSON.parse(out) as { hits: Array<{ url: string; tags: string[] }> }).hits.map((hit) => hit.url).sort();
    };
    expect(await urls('--tag', 'verwaltung')).toEqual(['https://kurier.example/a.html']);
    expect(await urls('--tag', 'Verwaltung', '--tag', 'Kfz-Zulassung')).toEqual(['https://kurier.example/a.html', 'https://post.example/b.html']);
    expect(await urls('--tag', 'Sport')).toEqual([]);
    const csv = await run('', '--tag', 'Kfz-Zulassung', '--format', 'csv');
    expect(csv.out.split('\r\n')[1]).toContain(',Kfz-Zulassung,');
  });

  it('names the flag of a bad value', async () => {
    const { status, err } = await run('x', '--from', '15.10.2021');
    expect(status).toBe(EXIT.usage);
    expect(err).toMatch(/--from/);
    expect((await run('x', '--limit', '0')).err).toMatch(/--limit/);
  });
});
