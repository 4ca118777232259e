import { cleanText, type CheerioAPI } from '../html.js';
import { pageElements, queryPage } from './dom.js';

/** Longer than this is a sentence or a keyword-stuffed blob, not a tag. */
export const MAX_TAG_CHARS = 60;
/** SEO keyword lists can run to hundreds of entries; a researcher filters on the first few. */
export const MAX_TAGS = 25;

/** CMS identifiers that leak into keyword lists ("cat_gemeinde-vereine", "tag_123"): not words a reader filters by. */
const MACHINE_ID = /^[a-z0-9]+(?:_[a-z0-9-]+)+$/;

/** Meta tags that hold keywords; `article:tag` repeats, the others are one comma-separated list. */
const KEYWORD_META = ['news_keywords', 'keywords', 'article:tag', 'og:article:tag', 'parsely-tags', 'sailthru.tags'];

/**
 * The tags a page declares, in order of trust: JSON-LD `keywords`, then the keyword meta tags
 * (every `article:tag`, `news_keywords`, `keywords`, …). Normalised by `normaliseTags`.
 */
export function extractTags($: CheerioAPI, jsonLdKeywords: readonly string[] = []): string[] | undefined {
  const found: string[] = [...jsonLdKeywords];
  // The page's element list is collected once per page (dom.ts): no extra walk of the tree.
  for (const element of pageElements($)) {
    if (element.name !== 'meta') continue;
    const key = (element.attribs.property ?? element.attribs.name ?? '').toLowerCase();
    if (KEYWORD_META.includes(key)) found.push(...splitKeywords(element.attribs.content));
  }
  const tags = normaliseTags(found);
  return tags.length ? tags : undefined;
}

/** Tags read from visible elements (a profile's tag list): one tag per element. */
export function readTagElements($: CheerioAPI, selector: string): string[] {
  return normaliseTags(queryPage($, selector).toArray().map((element) => $(element).text()));
}

/**
 * Trimmed, whitespace collapsed, a leading "#" and surrounding quotes dropped; URLs, numbers-only,
 * CMS identifiers and over-long entries dropped; de-duplicated case-insensitively (the first spelling wins);
 * at most MAX_TAGS.
 */
export function normaliseTags(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const value of values) {
    const tag = cleanText(value).replace(/^#/, '').replace(/^["'«»„“”]+|["'«»„“”]+$/g, '').trim();
    if (!tag || tag.length > MAX_TAG_CHARS || /^https?:|^www\./i.test(tag) || /^[\d\s.,:/-]+$/.test(tag) || MACHINE_ID.test(tag)) continue;
    const key = tag.toLocaleLowerCase('de');
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
    if (tags.length === MAX_TAGS) break;
  }
  return tags;
}

function splitKeywords(content: string | undefined): string[] {
  return (content ?? '').split(/[,;]/);
}
