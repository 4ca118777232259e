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
  const index = openArticleIndex(inject('meili'), `test-app-${randomUUID().slice(0, 8)}`);
  await index.prepare();
  await index.upsert([
    toIndexDocument({
      url: 'https://portal.example/x.html', canonicalUrl: 'https://portal.example/x.html', site: 'portal.example',
      headline: { value: '<script>alert(1)</script> Cyberangriff <img src=x onerror=alert(2)>', source: 'markup' },
      paragraphs: ['Schwerin (dpa/mv) - Nach dem Cyberangriff <b onmouseover=alert(3)>bleibt</b> alles zu.'],
      images: [], relatedLinks: [], fetchedAt: '2024-01-01T00:00:00Z',
      published: { value: '2021-10-15T16:20:00+02:00', source: 'meta' },
    }),
  ]);
  ({ server, url: base } = await listen(createApp({ index, webDir: path.resolve(import.meta.dirname, '../../web') }), '127.0.0.1', 0));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('HTTP API and page', () => {
  it('answers a timeline query as JSON, with scraped markup kept as inert text segments', async () => {
    const response = await fetch(`${base}api/search?q=Cyberangriff&from=2021-10-01&to=2021-10-31`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { total: number; hits: Array<{ headlineSegments: Array<{ text: string; match: boolean }> }> };
    expect(body.total).toBe(1);
    const headline = body.hits[0]!.headlineSegments;
    expect(headline.map((segment) => segment.text).join('')).toContain('<script>alert(1)</script>');
    expect(headline.find((segment) => segment.match)?.text).toBe('Cyberangriff');
  });

  it('rejects a malformed date with 400 and the field name', async () => {
    const response = await fetch(`${base}api/search?from=15.10.2021`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/^from:/);
  });

  it('serves the page with a policy that forbids inline and foreign scripts', async () => {
    const response = await fetch(base);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).toContain('<script type="module" src="/app.js">');
    for (const module of ['app.js', 'render.js', 'state.js']) {
      const script = await (await fetch(`${base}${module}`)).text();
      expect(script.length, module).toBeGreaterThan(100);
      expect(script, module).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    }
  });
});
