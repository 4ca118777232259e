import { Meilisearch } from 'meilisearch';
import { describe, expect, inject, it } from 'vitest';
import { openArticleIndex } from '../../src/index/meili-client.js';
import { DESIRED_SETTINGS, settingsDifference } from '../../src/index/index-settings.js';
import { documentId, toIndexDocument } from '../../src/index/to-index-document.js';

describe('index settings', () => {
  it('sends nothing when the server already has the settings (plus its own defaults)', () => {
    const current = {
      ...DESIRED_SETTINGS,
      filterableAttributes: [...DESIRED_SETTINGS.filterableAttributes].reverse(),
      typoTolerance: { ...DESIRED_SETTINGS.typoTolerance, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
      faceting: { ...DESIRED_SETTINGS.faceting, sortFacetValuesBy: { '*': 'alpha' } },
    };
    expect(settingsDifference(current)).toEqual({});
  });

  it('sends only what differs', () => {
    const current = { ...DESIRED_SETTINGS, rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'], synonyms: {} };
    expect(Object.keys(settingsDifference(current)).sort()).toEqual(['rankingRules', 'synonyms']);
  });
});

describe('index documents', () => {
  it('derives a stable id allowed by Meilisearch from the canonical URL', () => {
    const id = documentId('https://Example.org/a.html?utm_source=x#k');
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(id).toBe(documentId('https://example.org/a.html'));
  });

  it('stores the publication as Unix seconds with Berlin calendar buckets', () => {
    const document = toIndexDocument({
      url: 'https://example.org/a', canonicalUrl: 'https://example.org/a', site: 'example.org',
      headline: { value: 'H', source: 'markup' }, paragraphs: ['Schwerin (dpa/mv) - Text.'], images: [], relatedLinks: [],
      fetchedAt: '2024-01-01T00:00:00Z', published: { value: '2021-10-15T00:30:00+02:00', source: 'meta' },
      dateline: { place: 'Schwerin', agency: 'dpa/mv' },
    });
    expect(document.publishedAt).toBe(Date.parse('2021-10-14T22:30:00Z') / 1000);
    expect(document).toMatchObject({ day: '2021-10-15', month: '2021-10', week: '2021-W41', place: 'Schwerin', agency: 'dpa/mv' });
  });

  it('leaves the date empty when the page gives none', () => {
    const document = toIndexDocument({
      url: 'https://example.org/a', canonicalUrl: 'https://example.org/a', site: 'example.org',
      headline: { value: 'H', source: 'markup' }, paragraphs: ['x'], images: [], relatedLinks: [], fetchedAt: '2024-01-01T00:00:00Z',
    });
    expect(document.publishedAt).toBeNull();
    expect(document.day).toBeNull();
  });
});

describe('settings on a real Meilisearch', () => {
  it('are applied once; a second prepare finds nothing to change', async () => {
    const meili = inject('meili');
    const name = `test-settings-${Math.random().toString(36).slice(2, 8)}`;
    const index = openArticleIndex(meili, name);
    await index.prepare();
    const client = new Meilisearch({ host: meili.url, apiKey: meili.apiKey });
    expect(settingsDifference((await client.index(name).getSettings()) as Record<string, unknown>)).toEqual({});
    const tasksBefore = (await client.tasks.getTasks({ indexUids: [name] })).results.length;
    await index.prepare();
    expect((await client.tasks.getTasks({ indexUids: [name] })).results.length).toBe(tasksBefore);
  });
});
