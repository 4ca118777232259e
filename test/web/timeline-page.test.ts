import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTimelineWorld, type TimelineWorld } from '../server/timeline-world.js';

/** The timeline page in Debian's Chromium, against a real Meilisearch; screenshots go with the test output. */
const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-output/screenshots');
let world: TimelineWorld;
let browser: Browser;
let page: Page;
let alerts: string[];

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  world = await startTimelineWorld();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

beforeEach(async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  // Nothing may leave 127.0.0.1: links to the (made-up) originals are never followed.
  await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
  page = await context.newPage();
  alerts = [];
  page.on('dialog', (dialog) => {
    alerts.push(dialog.message());
    void dialog.dismiss();
  });
});

afterEach(async () => {
  await page.context().close();
});

async function open(query = ''): Promise<void> {
  await page.goto(`${world.base}${query}`);
  await page.waitForSelector('body[data-ready="true"]');
}

const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const headlines = () => page.locator('#results .hit .headline').allTextContents();

/** Submits the form and waits until the page has rendered the answer to this search. */
async function submitAndWait(): Promise<void> {
  const before = Number(await page.evaluate(() => document.body.dataset.renders ?? '0'));
  await page.click('#search-form button[type=submit]');
  await page.waitForFunction((count) => Number(document.body.dataset.renders ?? '0') > count, before);
}

describe('timeline page', () => {
  it('searches, shows highlighted snippets grouped by date, and keeps the query in the URL', async () => {
    await open();
    await page.fill('#q', 'Lösegeld');
    await submitAndWait();
    expect(await headlines()).toEqual(['Täter fordern Lösegeld nach Cyberangriff']);
    expect(await page.locator('#results .hit mark').allTextContents()).toEqual(['Lösegeld', 'Lösegeld']);
    expect(await page.locator('#results .group-label').allTextContents()).toEqual(['Februar 2022']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('Lösegeld');
    await shot('01-search');
  });

  it('filters by a date range, in story view with one entry per story', async () => {
    await open('?q=Cyberangriff');
    expect(await page.locator('#results .hit').count()).toBe(5);
    await page.fill('#from', '2021-10-01');
    await page.fill('#to', '2021-10-31');
    await submitAndWait();
    expect(await headlines()).toEqual(['Cyberangriff legt Kreisverwaltung lahm', 'Bürgerbüros bleiben nach Hackerangriff geschlossen']);
    expect(await page.locator('#results .hit .also').first().textContent()).toMatch(/Auch erschienen bei: post\.example .*, ticker\.example/);
    expect(await page.locator('#status').textContent()).toMatch(/^2 Storys · 2021-10-01 bis 2021-10-31/);
    await shot('02-date-range');
  });

  it('zooms into a period when a histogram bar is clicked', async () => {
    await open('?q=Cyberangriff');
    const bars = page.locator('#histogram .bar');
    expect(await bars.evaluateAll((nodes) => nodes.map((node) => `${(node as HTMLElement).dataset.key}:${(node as HTMLElement).dataset.count}`))).toEqual([
      '2021-10:2', '2021-11:0', '2021-12:1', '2022-01:0', '2022-02:1', '2022-03:1',
    ]);
    const before = Number(await page.evaluate(() => document.body.dataset.renders ?? '0'));
    await page.click('#histogram .bar[data-key="2021-12"]');
    await page.waitForFunction((count) => Number(document.body.dataset.renders ?? '0') > count, before);
    const url = new URL(page.url());
    expect([url.searchParams.get('from'), url.searchParams.get('to'), url.searchParams.get('group')]).toEqual(['2021-12-01', '2021-12-31', 'day']);
    expect(await page.inputValue('#from')).toBe('2021-12-01');
    expect(await headlines()).toEqual(['Zulassungsstelle öffnet nach dem Cyberangriff wieder']);
    await shot('03-histogram-zoom');
  });

  it('opens a story with every source that published it', async () => {
    await open('?q=Kreisverwaltung');
    await page.locator('#results .hit .story-button').first().click();
    await page.waitForSelector('#story[open] .copies li');
    expect(await page.locator('#story .copies li strong').allTextContents()).toEqual(['kurier.example', 'post.example', 'ticker.example']);
    await shot('04-story');
    await page.click('#story .show-copies');
    await page.waitForFunction(() => document.querySelectorAll('#results .hit').length === 3);
    expect(new URL(page.url()).searchParams.get('view')).toBe('copies');
  });

  it('exports the current view as CSV', async () => {
    await open('?q=Cyberangriff&view=copies&from=2021-10-01&to=2021-10-31');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    expect(download.suggestedFilename()).toMatch(/^chronik-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = path.join(SCREENSHOTS, '..', 'export.csv');
    await download.saveAs(file);
    const lines = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]!.startsWith('published,day,site,')).toBe(true);
    expect(lines.slice(1).map((line) => line.split(',')[2])).toEqual(['kurier.example', 'post.example', 'ticker.example', 'post.example', 'kurier.example']);
    await shot('05-export');
  });

  it('renders scraped <script> and onerror payloads as inert text, also in the archived copy', async () => {
    await open('?q=Wismar');
    const headline = page.locator('#results .hit .headline').first();
    expect(await headline.textContent()).toContain('<script>window.__xss = 1</script> Cyberangriff <img src=x onerror=');
    expect(await page.locator('#results img, #results script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await shot('06-inert-markup');
    const [archived] = await Promise.all([page.context().waitForEvent('page'), page.locator('#results .hit a.archived').first().click()]);
    await archived.waitForLoadState();
    expect(await archived.title()).toBe('Echt');
    expect(await archived.locator('[data-chronik-banner]').textContent()).toMatch(/^Archivierte Kopie/);
    await archived.screenshot({ path: path.join(SCREENSHOTS, '07-archived-copy.png'), fullPage: true });
    expect(alerts).toEqual([]);
  });
});
