import type { CheerioAPI } from 'cheerio';
import { compile } from 'css-select';
import type { AnyNode, Element } from 'domhandler';
import type { DiscoveredLink } from '../../pipeline/types.js';
import { resolveHttpUrl } from './canonical-url.js';
import { isUtilityLink } from './utility-links.js';
import { isElement, pageElements } from '../extract/generic/dom.js';

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
 * Read from the page's cached element list with precompiled selectors, not with cheerio queries:
 * the crawl reads the links of every page, and whole-tree queries per page cost more than the rest.
 */
export function hubLinks($: CheerioAPI, baseUrl: string): HubLinks {
  const elements = pageElements($);
  const links: DiscoveredLink[] = [];
  const nextPages = new Set<string>();
  const seen = new Set<string>();
  for (const element of elements) {
    if ((element.name === 'link' || element.name === 'a') && hasToken(element.attribs.rel, 'next')) {
      const url = resolveHttpUrl(element.attribs.href ?? '', baseUrl);
      if (url) nextPages.add(url);
    }
  }
  for (const anchor of elements) {
    if (anchor.name !== 'a' || anchor.attribs.href === undefined) continue;
    if (closest(anchor, isNavigation)) continue;
    const url = resolveHttpUrl(anchor.attribs.href, baseUrl);
    if (!url || url === baseUrl) continue;
    const text = collapse(textContent(anchor));
    if (isUtilityLink(url, text)) continue;
    if (PAGINATION_TEXT.test(text) || closest(anchor, isPagination)) {
      if (!/^seite\s*1$/i.test(text)) nextPages.add(url);
      continue;
    }
    if (seen.has(url)) continue;
    seen.add(url);
    const box = closest(anchor, isContextBox);
    const context = box ? collapse(textContent(box, CONTEXT_CHARS + text.length)) : '';
    links.push({ url, anchorText: text || (anchor.attribs.title ?? ''), category: context && context !== text ? context.slice(0, CONTEXT_CHARS) : undefined });
  }
  const feeds: string[] = [];
  for (const element of elements) {
    if (element.name !== 'link' || element.attribs.href === undefined || !hasToken(element.attribs.rel, 'alternate')) continue;
    if (!FEED_TYPES.test(element.attribs.type ?? '')) continue;
    const url = resolveHttpUrl(element.attribs.href, baseUrl);
    if (url) feeds.push(url);
  }
  const canonicalHref = elements.find((element) => element.name === 'link' && hasToken(element.attribs.rel, 'canonical'))?.attribs.href;
  for (const link of links) nextPages.delete(link.url);
  return { links, nextPages: [...nextPages].filter((url) => url !== baseUrl), feeds, canonical: canonicalHref ? resolveHttpUrl(canonicalHref, baseUrl) : undefined };
}

/** How much of a link's surrounding text is kept as its context. */
const CONTEXT_CHARS = 300;

const isNavigation = compile<AnyNode, Element>('nav:not([class*="pagin"]), header, footer, [role="navigation"], [class*="nav"]:not([class*="pagin"]), [class*="foot"]', { xmlMode: false });
const isPagination = compile<AnyNode, Element>('[class*="pagin"]', { xmlMode: false });
const isContextBox = compile<AnyNode, Element>('li, article, p, tr, [class*="teaser"]', { xmlMode: false });

/** The element itself or its nearest ancestor that passes `test` (cheerio's closest). */
function closest(element: Element, test: (element: Element) => boolean): Element | undefined {
  for (let current: AnyNode | null = element; current && isElement(current); current = current.parent) {
    if (test(current)) return current;
  }
  return undefined;
}

/** `rel~="next"`: one of the space-separated tokens, case-insensitive as HTML has it for rel. */
function hasToken(list: string | undefined, token: string): boolean {
  return list !== undefined && list.toLowerCase().split(/[ \t\n\f\r]+/).includes(token);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * cheerio's text(): every text node below, scripts included, comments not. With `enough`, it
 * stops once more than that many characters are certain after collapsing whitespace (a
 * context box may be a whole article; only its first characters are kept).
 */
function textContent(node: AnyNode, enough = Number.POSITIVE_INFINITY): string {
  let text = '';
  let checkedAt = 0;
  const walk = (current: AnyNode): boolean => {
    if (current.type === 'text') {
      text += (current as unknown as { data: string }).data;
      if (text.length - checkedAt > 2 * enough) {
        checkedAt = text.length;
        if (collapse(text).length > enough) return false;
      }
      return true;
    }
    if (current.type === 'comment') return true;
    for (const child of (current as unknown as { children?: AnyNode[] }).children ?? []) if (!walk(child)) return false;
    return true;
  };
  walk(node);
  return text;
}
