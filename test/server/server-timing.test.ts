import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openArticleIndex } from '../../src/index/meili-client.js';
import { toIndexDocument } from '../../src/index/to-index-document.js';
import { createApp, listen } from '../../src/server/app.js';

let server: Server;
let base: string;

beforeAll(async () => {
  const index = openArticleIndex(inject('meili'), `test-timing-${randomUUID().slice(0, 8)}`);
  await index.prepare();
  await index.upsert([
    toIndexDocument({
      url: 'https://portal.example/t.html', canonicalUrl: 'https://portal.example/t.html', site: 'portal.example',
      headline: { value: 'Bürgerbüros nach dem Cyberangriff wieder offen', source: 'markup' },
      paragraphs: ['Schwerin (dpa/mv) - Nach dem Cyberangriff öffnen die Bürgerbüros wieder für Termine.'],
      images: [], relatedLinks: [], fetchedAt: '2024-01-01T00:00:00Z',
      published: { value: '2021-11-02T09:00:00+01:00', source: 'meta' },
    }),
  ]);
  ({ server, url: base } = await listen(createApp({ index, webDir: path.resolve(import.meta.dirname, '../../web') }), '127.0.0.1', 0));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function timings(header: string | null): Record<string, number> {
  return Object.fromEntries((header ?? '').split(',').map((part) => {
    const [name, duration] = part.trim().split(';dur=');
    return [name!, Number(duration)];
  }));
}

describe('Server-Timing of API answers', () => {
  it("tells Meilisearch's share of a search apart from Chronik's own work", async () => {
    for (const path of ['api/search?q=Cyberangriff', 'api/facets?q=Cyberangriff', 'api/histogram?q=Cyberangriff&group=day']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(200);
      const { meili, app } = timings(response.headers.get('server-timing'));
      const { processingTimeMs } = (await response.json()) as { processingTimeMs: number };
      // the wait for Meilisearch includes its own processing time; both figures are real durations
      expect(meili, path).toBeGreaterThan(0);
      expect(meili! + 1, path).toBeGreaterThanOrEqual(processingTimeMs);
      expect(app, path).toBeGreaterThan(0);
    }
  });

  it("reports a search Meilisearch refuses as a bad gateway with Meilisearch's reason", async () => {
    const index = openArticleIndex(inject('meili'), `test-missing-${randomUUID().slice(0, 8)}`);
    await expect(index.search('x', { limit: 1 })).rejects.toThrow(/Meilisearch refused the request: Index `test-missing-[^`]+` not found/);
  });

  it('reports an unreachable Meilisearch as such, and serves again on the kept-alive connection after many searches', async () => {
    const nowhere = openArticleIndex({ url: 'http://127.0.0.1:9', apiKey: 'none' }, 'articles');
    await expect(nowhere.search('x', { limit: 1 })).rejects.toMatchObject({ code: 'MEILI_UNREACHABLE' });
    for (let i = 0; i < 20; i++) expect((await fetch(`${base}api/search?q=Termine&limit=1`)).status).toBe(200);
  });
});
