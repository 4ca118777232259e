import { load } from 'cheerio';
import { resolveHttpUrl } from './canonical-url.js';

/** One URL listed by a feed or sitemap, with what the listing says about it. */
export interface ListedUrl {
  url: string;
  title?: string | undefined;
  /** Publication or lastmod instant as given (ISO 8601 or RFC 822), if any. */
  date?: string | undefined;
  /** Last modification as given (sitemap lastmod, Atom updated, RSS dcterms:modified), if any:
   *  an article updated in place keeps its publication date but gets a new one of these. */
  modified?: string | undefined;
}

export type XmlListing =
  | { kind: 'sitemap-index'; sitemaps: ListedUrl[] }
  | { kind: 'urlset' | 'rss' | 'atom'; urls: ListedUrl[] }
  | { kind: 'unknown'; urls: [] };

/**
 * Pure: RSS 2.0, Atom, sitemap index or urlset (with the Google-News namespace) → listed URLs.
 * Parsed with cheerio's XML mode; namespaced elements are matched by their local name so a
 * prefix other than "news:" still works.
 */
export function parseXmlListing(xml: string, baseUrl: string): XmlListing {
  const $ = load(xml, { xml: true });
  // The first element node: the XML declaration and comments come before it.
  const root = $.root().contents().filter((_, node) => node.type === 'tag').first();
  const rootName = localName(nameOf(root.get(0)));
  const text = (element: ReturnType<typeof $>, name: string): string | undefined => {
    const found = element.children().filter((_, child) => localName(nameOf(child)) === name).first();
    const value = found.text().trim();
    return value || undefined;
  };
  const byName = (scope: ReturnType<typeof $>, name: string): ReturnType<typeof $> =>
    scope.find('*').filter((_, el) => localName(nameOf(el)) === name);
  const resolved = (href: string | undefined): string | undefined => (href ? resolveHttpUrl(href, baseUrl) : undefined);

  if (rootName === 'sitemapindex') {
    const sitemaps: ListedUrl[] = [];
    byName(root, 'sitemap').each((_, el) => {
      const url = resolved(text($(el), 'loc'));
      if (url) sitemaps.push({ url, date: text($(el), 'lastmod') });
    });
    return { kind: 'sitemap-index', sitemaps };
  }
  if (rootName === 'urlset') {
    const urls: ListedUrl[] = [];
    byName(root, 'url').each((_, el) => {
      const url = resolved(text($(el), 'loc'));
      if (!url) return;
      const news = byName($(el), 'news').first();
      urls.push({
        url,
        title: news.length ? text(news, 'title') : undefined,
        date: (news.length ? text(news, 'publication_date') : undefined) ?? text($(el), 'lastmod'),
        modified: text($(el), 'lastmod'),
      });
    });
    return { kind: 'urlset', urls };
  }
  if (rootName === 'rss' || rootName === 'RDF') {
    const urls: ListedUrl[] = [];
    byName(root, 'item').each((_, el) => {
      const guid = $(el).children('guid');
      const link = text($(el), 'link') ?? (guid.attr('isPermaLink') !== 'false' ? guid.text().trim() : undefined);
      const url = resolved(link);
      if (url) urls.push({ url, title: text($(el), 'title'), date: text($(el), 'pubDate') ?? text($(el), 'date'), modified: text($(el), 'modified') ?? text($(el), 'updated') });
    });
    return { kind: 'rss', urls };
  }
  if (rootName === 'feed') {
    const urls: ListedUrl[] = [];
    byName(root, 'entry').each((_, el) => {
      const links = $(el).children().filter((_, child) => localName(nameOf(child)) === 'link');
      const alternate = links.filter((_, link) => ($(link).attr('rel') ?? 'alternate') === 'alternate').first();
      const url = resolved(alternate.attr('href') ?? links.first().attr('href'));
      if (url) urls.push({ url, title: text($(el), 'title'), date: text($(el), 'published') ?? text($(el), 'updated'), modified: text($(el), 'updated') });
    });
    return { kind: 'atom', urls };
  }
  return { kind: 'unknown', urls: [] };
}

/** True when a listing's date lies before the window's first day (undated entries are kept). */
export function isBeforeWindow(date: string | undefined, fromDay: string | undefined): boolean {
  if (!date || !fromDay) return false;
  const ms = Date.parse(date);
  if (Number.isNaN(ms)) return false;
  // A day of slack: the listing's date may be in another zone than the window's (Berlin) day.
  return ms < Date.parse(`${fromDay}T00:00:00Z`) - 86_400_000;
}

/** The element's name as written (cheerio's tagName is upper-cased in XML mode). */
function nameOf(node: unknown): string {
  return (node as { name?: string } | undefined)?.name ?? '';
}

function localName(tagName: string): string {
  const colon = tagName.lastIndexOf(':');
  return colon >= 0 ? tagName.slice(colon + 1) : tagName;
}
