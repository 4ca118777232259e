import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../../src/scrapers/extract/extract-article.js';
import { findProjectRoot } from '../../../bench/eval-extraction.js';

/**
 * Every manifest article of the fixture world, extracted from its file with the headers the
 * fixture server sends, matches the manifest field by field. Portals whose article text is
 * rendered by JavaScript need the render step of the crawler first and are not read here.
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
}

const root = findProjectRoot();
const manifest = JSON.parse(readFileSync(path.join(root, 'fixtures', 'manifest.json'), 'utf8')) as {
  portals: Record<string, { layout?: string; charset?: string }>;
  articles: ManifestArticle[];
};
const staticPortals = Object.entries(manifest.portals).filter(([, portal]) => !/rendered by JavaScript/i.test(portal.layout ?? '')).map(([name]) => name);

describe.each(staticPortals)('fixture portal %s', (portal) => {
  const charset = manifest.portals[portal]?.charset ?? 'utf-8';
  const articles = manifest.articles.filter((article) => article.portal === portal);
  it.each(articles.map((article) => [article.path, article] as const))('extracts %s as the manifest says', (articlePath, article) => {
    const file = path.join(root, 'fixtures', 'world', portal, articlePath.endsWith('/') ? `${articlePath}index.html` : articlePath);
    expect(existsSync(file), file).toBe(true);
    const record = extractRecord({ body: readFileSync(file), url: `http://127.0.0.1:8000${articlePath}`, headers: { 'content-type': `text/html; charset=${charset}` }, fetchedAt: '2022-01-31T12:00:00Z' })!;
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
  });
});
