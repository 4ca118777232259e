import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type RunningWorld } from '../../../fixtures/server/serve-world.js';
import type { ArticleRecord } from '../../../src/pipeline/types.js';
import { renderSchema } from '../../../src/config/schema.js';
import { extractRecord } from '../../../src/scrapers/extract/extract-article.js';
import { ChromiumRenderer } from '../../../src/scrapers/render/browser.js';
import { findProjectRoot } from '../../../bench/eval-extraction.js';

/**
 * Every manifest article of the fixture world, extracted from its file with the headers the
 * fixture server sends, matches the manifest field by field. Portals whose article text is
 * rendered by JavaScript (havelblick) are rendered first in Debian's Chromium, served by the
 * fixture server, as the crawler's render step does.
 */
interface ManifestArticle {
  portal: string;
  path: string;
  headline: string;
  kicker?: string | null;
  teaser?: string | null;
  published?: string | null;
  modified?: string | null;
  dateline?: string | null;
  agency?: string | null;
  firstSentence?: string;
  lastSentence?: string;
  imageCredit?: string | null;
  tags?: string[];
  related?: string[];
}

const root = findProjectRoot();
const manifest = JSON.parse(readFileSync(path.join(root, 'fixtures', 'manifest.json'), 'utf8')) as {
  portals: Record<string, { layout?: string; charset?: string }>;
  articles: ManifestArticle[];
};
const isRendered = (name: string) => /rendered by JavaScript/i.test(manifest.portals[name]?.layout ?? '');
const staticPortals = Object.keys(manifest.portals).filter((name) => !isRendered(name));
const renderedPortals = Object.keys(manifest.portals).filter(isRendered);

describe.each(staticPortals)('fixture portal %s', (portal) => {
  const charset = manifest.portals[portal]?.charset ?? 'utf-8';
  const articles = manifest.articles.filter((article) => article.portal === portal);
  it.each(articles.map((article) => [article.path, article] as const))('extracts %s as the manifest says', (articlePath, article) => {
    const file = path.join(root, 'fixtures', 'world', portal, articlePath.endsWith('/') ? `${articlePath}index.html` : articlePath);
    expect(existsSync(file), file).toBe(true);
    const url = `http://127.0.0.1:8000${articlePath}`;
    const record = extractRecord({ body: readFileSync(file), url, headers: { 'content-type': `text/html; charset=${charset}` }, fetchedAt: '2022-01-31T12:00:00Z' })!;
    expectManifestFields(record, article, url);
  });
});

describe.each(renderedPortals)('fixture portal %s, rendered in Chromium', (portal) => {
  const articles = manifest.articles.filter((article) => article.portal === portal);
  let world: RunningWorld;
  let renderer: ChromiumRenderer;
  beforeAll(async () => {
    world = await startWorld({ portals: [portal] });
    renderer = new ChromiumRenderer(renderSchema.parse({}));
  });
  afterAll(async () => {
    await renderer?.close();
    await world?.close();
  });
  it.each(articles.map((article) => [article.path, article] as const))('extracts %s from the rendered DOM as the manifest says', async (articlePath, article) => {
    const url = world.url(portal, articlePath);
    const raw = readFileSync(path.join(root, 'fixtures', 'world', portal, articlePath.endsWith('/') ? `${articlePath}index.html` : articlePath), 'utf8');
    // The raw page has no article text: rendering is what makes these fields readable.
    expect(raw).not.toContain(article.firstSentence!);
    const { html } = await renderer.render(url);
    const record = extractRecord({ body: new TextEncoder().encode(html), url, headers: { 'content-type': 'text/html; charset=utf-8' }, fetchedAt: '2022-01-31T12:00:00Z' })!;
    expectManifestFields(record, article, url);
  });
});

function expectManifestFields(record: ArticleRecord, article: ManifestArticle, url: string): void {
  expect(record.headline.value).toBe(article.headline);
  expect(record.kicker?.value ?? null).toBe(article.kicker ?? null);
  expect(record.published?.value ?? null).toBe(article.published ?? null);
  if (article.modified !== undefined) expect(record.modified?.value ?? null).toBe(article.modified);
  if (article.teaser !== undefined) expect(record.teaser ?? null).toBe(article.teaser);
  expect(record.dateline?.place ?? null).toBe(article.dateline ?? null);
  expect(record.dateline?.agency ?? null).toBe(article.agency ?? null);
  const body = record.paragraphs.join('\n\n');
  if (article.firstSentence) expect(body.startsWith(article.firstSentence)).toBe(true);
  if (article.lastSentence) expect(body.trimEnd().endsWith(article.lastSentence)).toBe(true);
  expect(body).not.toContain('Empfehlungen der Redaktion');
  expect(body).not.toContain('© dpa-infocom');
  if (article.imageCredit) expect(record.images.map((image) => image.credit)).toContain(article.imageCredit);
  if (article.tags) expect(record.tags ?? []).toEqual(article.tags);
  // Links to the same portal (other portals' origins are filled in only when served).
  const linked = record.relatedLinks.map((link) => `${new URL(link.url).origin}${new URL(link.url).pathname}`);
  for (const related of article.related ?? []) if (related.startsWith('/')) expect(linked, related).toContain(new URL(related, url).toString());
}
