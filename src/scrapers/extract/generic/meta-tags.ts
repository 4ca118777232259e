import type { Element } from 'domhandler';
import type { CheerioAPI } from '../html.js';
import { pageElements } from './dom.js';

/** content of the first <meta> whose property/name/itemprop is one of `names` (case-insensitive). */
export function readMeta($: CheerioAPI, names: readonly string[]): string | undefined {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  for (const element of metaElements($)) {
    const attribs = element.attribs;
    const key = (attribs.property ?? attribs.name ?? attribs.itemprop ?? '').toLowerCase();
    if (wanted.has(key)) {
      const content = attribs.content?.trim();
      if (content) return content;
    }
  }
  return undefined;
}

/** The page's <meta> elements, looked up once per document (readMeta is asked many times per page). */
const metaCache = new WeakMap<object, Element[]>();

function metaElements($: CheerioAPI): Element[] {
  const root = $.root().get(0)!;
  let elements = metaCache.get(root);
  if (!elements) {
    // Filtering the page's element list (built once, dom.ts) instead of another walk of the tree.
    elements = pageElements($).filter((element) => element.name === 'meta');
    metaCache.set(root, elements);
  }
  return elements;
}

export const PUBLISHED_META = ['article:published_time', 'og:article:published_time', 'datePublished', 'date', 'dc.date', 'dc.date.issued', 'dcterms.created', 'pubdate', 'publishdate', 'parsely-pub-date', 'sailthru.date'];
export const MODIFIED_META = ['article:modified_time', 'og:updated_time', 'dateModified', 'last-modified', 'dcterms.modified'];

/** Portal-specific publication metas ("sw-pubdate", "article.published", "publish-date"): any name saying publish/pubdate but not update. */
export function readLooseMetaPublished($: CheerioAPI): string | undefined {
  for (const element of metaElements($)) {
    if (element.attribs.content === undefined) continue;
    const key = (element.attribs.property ?? element.attribs.name ?? element.attribs.itemprop ?? '').toLowerCase();
    if (!/pub(lish(ed)?|lication)?[-_.:]?date|publish(ed)?[-_.:]?(time|at|on)?$|date[-_.]?publi|first[-_]?publi/.test(key) || /modif|updat|expir/.test(key)) continue;
    const content = element.attribs.content?.trim();
    if (content) return content;
  }
  return undefined;
}
