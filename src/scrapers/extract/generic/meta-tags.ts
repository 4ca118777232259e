import type { CheerioAPI } from '../html.js';

/** content of the first <meta> whose property/name/itemprop is one of `names` (case-insensitive). */
export function readMeta($: CheerioAPI, names: readonly string[]): string | undefined {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  for (const element of $('meta').toArray()) {
    const key = ($(element).attr('property') ?? $(element).attr('name') ?? $(element).attr('itemprop') ?? '').toLowerCase();
    if (wanted.has(key)) {
      const content = $(element).attr('content')?.trim();
      if (content) return content;
    }
  }
  return undefined;
}

export const PUBLISHED_META = ['article:published_time', 'og:article:published_time', 'datePublished', 'date', 'dc.date', 'dc.date.issued', 'dcterms.created', 'pubdate', 'publishdate', 'parsely-pub-date', 'sailthru.date'];
export const MODIFIED_META = ['article:modified_time', 'og:updated_time', 'dateModified', 'last-modified', 'dcterms.modified'];
