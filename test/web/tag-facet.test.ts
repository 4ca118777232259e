import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openArticleIndex } from '../../src/index/meili-client.js';
import { toIndexDocument } from '../../src/index/to-index-document.js';
import { createApp, listen } from '../../src/server/app.js';

/** The page's tag facet in Debian's Chromium, against a real Meilisearch. */
const EVIL_TAG = '<img src=x onerror="window.__xss = 1">';
const ARTICLES = [
  { slug: 'angriff', headline: 'Cyberangriff legt Verwaltung lahm', published: '2021-10-15T11:42:00+02:00', tags: ['Cyberangriff', 'Verwaltung'] },
  { slug: 'zulassung', headline: 'Zulassungsstelle öffnet nach Cyberangriff', published: '2021-11-30T09:00:00+01:00', tags: ['Cyberangriff', 'Kfz-Zulassung', EVIL_TAG] },
  { slug: 'notbetrieb', headline: 'Notbetrieb nach Cyberangriff', published: '2021-10-27T10:00:00+02:00', tags: [] },
];

let server: Server;
let base: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const index = openArticleIndex(inject('meili'), `test-tags-${randomUUID().slice(0, 8)}`);
  await index.prepare();
  await index.upsert(ARTICLES.map(({ slug, headline, published, tags }) => toIndexDocument({
    url: `https://kurier.example/${slug}.html`, canonicalUrl: `https://kurier.example/${slug}.html`, site: 'kurier.example',
    headline: { value: headline, source: 'markup' }, paragraphs: [`Schwerin (dpa/mv) - ${headline}.`], images: [], relatedLinks: [],
    fetchedAt: '2024-05-01T10:00:00Z', published: { value: published, source: 'meta' }, dateline: { place: 'Schwerin', agency: 'dpa/mv' }, tags,
  })));
  ({ server, url: base } = await listen(createApp({ index, webDir: path.resolve(import.meta.dirname, '../../web'), archiveDir: os.tmpdir() }), '127.0.0.1', 0));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

const headlines = () => page.locator('#results .hit .headline').allTextContents();

describe('the tag facet of the timeline page', () => {
  it('lists the tags with counts as text, and filters by the ticked tag (kept in the URL)', async () => {
    await page.goto(`${base}?view=copies`);
    await page.waitForSelector('body[data-ready="true"]');
    const facet = page.locator('fieldset[data-facet="tags"]');
    expect(await facet.locator('legend').textContent()).toBe('Schlagwort');
    const labels = (await facet.locator('label').allTextContents()).map((text) => text.trim());
    expect(labels).toEqual(['Cyberangriff (2)', `${EVIL_TAG} (1)`, 'Kfz-Zulassung (1)', 'Verwaltung (1)']);
    // The tag's markup stays text: no element was made from it, no handler ran.
    expect(await page.locator('#facets img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    const before = Number(await page.evaluate(() => document.body.dataset.renders ?? '0'));
    await facet.locator('input[value="Kfz-Zulassung"]').check();
    await page.waitForFunction((count) => Number(document.body.dataset.renders ?? '0') > count, before);
    expect(new URL(page.url()).searchParams.getAll('tag')).toEqual(['Kfz-Zulassung']);
    expect(await headlines()).toEqual(['Zulassungsstelle öffnet nach Cyberangriff']);
    expect(await page.locator('#status').textContent()).toMatch(/1 Filter/);
  });

  it('opens a shared address with its tag filter applied', async () => {
    await page.goto(`${base}?view=copies&tag=Verwaltung`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await headlines()).toEqual(['Cyberangriff legt Verwaltung lahm']);
    expect(await page.locator('fieldset[data-facet="tags"] input[value="Verwaltung"]').isChecked()).toBe(true);
  });
});
