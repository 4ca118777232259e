import type { CheerioAPI } from 'cheerio';
import type { DiscoveredLink } from '../../pipeline/types.js';
import { resolveHttpUrl } from './canonical-url.js';
import { isUtilityLink } from './utility-links.js';

export interface HubLinks {
  /** Links in the page's content, with their text and the text around them. */
  links: DiscoveredLink[];
  /** Next pages of a paginated listing (rel=next, "Seite 2", "Weiter", "Ältere …"). */
  nextPages: string[];
  /** Feeds the page announces (link rel=alternate). */
  feeds: string[];
  canonical?: string | undefined;
}

const PAGINATION_TEXT = /^(seite\s*\d+|\d+|weiter|nächste(\s+seite)?|next|ältere(\s+\w+)?|mehr\s+(laden|anzeigen|meldungen)|»|›|>)$/i;
const FEED_TYPES = /^application\/(rss|atom)\+xml$/i;

/**
 * Pure: the links of a hub page (topic page, search results, archive listing). The text of
 * the link's list item or paragraph is kept as context, so a teaser's kicker and date count
 * for the link's score. Navigation and footer links are left out, and so are share, print,
 * comment and login links (utility-links.ts).
 */
export function hubLinks($: CheerioAPI, baseUrl: string): HubLinks {
  const links: DiscoveredLink[] = [];
  const nextPages = new Set<string>();
  const seen = new Set<string>();
  $('link[rel~="next"], a[rel~="next"]').each((_, el) => {
    const url = resolveHttpUrl($(el).attr('href') ?? '', baseUrl);
    if (url) nextPages.add(url);
  });
  $('a[href]').each((_, el) => {
    const anchor = $(el);
    if (anchor.closest('nav:not([class*="pagin"]), header, footer, [role="navigation"], [class*="nav"]:not([class*="pagin"]), [class*="foot"]').length > 0) return;
    const url = resolveHttpUrl(anchor.attr('href') ?? '', baseUrl);
    if (!url || url === baseUrl) return;
    const text = anchor.text().replace(/\s+/g, ' ').trim();
    if (isUtilityLink(url, text)) return;
    if (PAGINATION_TEXT.test(text) || anchor.closest('[class*="pagin"]').length > 0) {
      if (!/^seite\s*1$/i.test(text)) nextPages.add(url);
      return;
    }
    if (seen.has(url)) return;
    seen.add(url);
    const context = anchor.closest('li, article, p, tr, [class*="teaser"]').first().text().replace(/\s+/g, ' ').trim();
    links.push({ url, anchorText: text || (anchor.attr('title') ?? ''), category: context && context !== text ? context.slice(0, 300) : undefined });
  });
  const feeds: string[] = [];
  $('link[rel~="alternate"][href]').each((_, el) => {
    if (!FEED_TYPES.test($(el).attr('type') ?? '')) return;
    const url = resolveHttpUrl($(el).attr('href') ?? '', baseUrl);
    if (url) feeds.push(url);
  });
  const canonicalHref = $('link[rel~="canonical"]').attr('href');
  for (const link of links) nextPages.delete(link.url);
  return { links, nextPages: [...nextPages].filter((url) => url !== baseUrl), feeds, canonical: canonicalHref ? resolveHttpUrl(canonicalHref, baseUrl) : undefined };
}
