import type { Element } from 'domhandler';
import type { RelatedLink } from '../../../pipeline/types.js';
import { resolveHttpUrl } from '../../discover/canonical-url.js';
import { isUtilityLink } from '../../discover/utility-links.js';
import { cleanText, type CheerioAPI } from '../html.js';
import { isElement, pageElements } from './dom.js';

/** Headings that introduce blocks of links to other articles. */
const SECTION_LABEL = /^(Empfehlungen der Redaktion|Weitere News|Weitere Nachrichten|Mehr zum Thema|Mehr aus|Das könnte Sie auch interessieren|Auch interessant|Lesen Sie auch|Weitere Artikel|Passend zum Thema|Zum Thema|Verwandte Artikel|Related|More on this|Read more|Top News)/i;

/**
 * Links grouped under a labelled block ("Empfehlungen der Redaktion"), each with the block's
 * label and its own category line; plus links inside the article text without a label.
 */
export function extractRelatedLinks($: CheerioAPI, pageUrl: string): RelatedLink[] {
  const links: RelatedLink[] = [];
  const seen = new Set<string>();
  const add = (anchor: Element, sectionLabel: string | undefined): void => {
    const url = resolveHttpUrl($(anchor).attr('href') ?? '', pageUrl);
    if (!url || url === pageUrl || seen.has(url)) return;
    const { title, category } = readAnchor($, anchor);
    if (!title || isUtilityLink(url, title)) return;
    seen.add(url);
    links.push({ url, title, sectionLabel, category });
  };
  const elements = pageElements($);
  for (const heading of elements.filter(isSectionHeading)) {
    const label = cleanText($(heading).text());
    if (!SECTION_LABEL.test(label) || label.length > 60) continue;
    const block = closestBlockWithLinks($, heading);
    if (!block) continue;
    for (const anchor of $(block).find('a[href]').toArray()) add(anchor, label);
  }
  for (const anchor of elements.filter(isLinkInArticleText)) add(anchor, undefined);
  return links;
}

const HEADING_TAGS = new Set(['h2', 'h3', 'h4', 'h5']);

/** h2, h3, h4, h5, .section-title, .block-title */
function isSectionHeading(element: Element): boolean {
  if (HEADING_TAGS.has(element.name)) return true;
  const classes = element.attribs.class;
  return classes !== undefined && classes.split(/\s+/).some((name) => name === 'section-title' || name === 'block-title');
}

/** article p a[href], [itemprop="articleBody"] a[href] */
function isLinkInArticleText(element: Element): boolean {
  if (element.name !== 'a' || element.attribs.href === undefined) return false;
  let insideParagraph = false;
  for (let current = element.parent; current && isElement(current); current = current.parent) {
    if (current.attribs.itemprop === 'articleBody') return true;
    if (insideParagraph && current.name === 'article') return true;
    if (current.name === 'p') insideParagraph = true;
  }
  return false;
}

/** The nearest ancestor of a heading that contains links, but not the whole page. */
function closestBlockWithLinks($: CheerioAPI, heading: Element): Element | undefined {
  let current = heading.parent as Element | null;
  for (let level = 0; current && current.type === 'tag' && level < 3; level++) {
    if (current.tagName === 'body' || current.tagName === 'main') return undefined;
    if ($(current).find('a[href]').length > 0) return current;
    current = current.parent as Element | null;
  }
  return undefined;
}

/** An anchor with two text parts reads as category line + title; otherwise all text is the title. */
function readAnchor($: CheerioAPI, anchor: Element): { title: string; category?: string | undefined } {
  const parts = $(anchor)
    .children()
    .toArray()
    .map((child) => cleanText($(child).text()))
    .filter(Boolean);
  if (parts.length >= 2 && parts[0]!.length < 60) {
    return { category: parts[0], title: cleanText(parts.slice(1).join(' ')) };
  }
  return { title: cleanText($(anchor).text()) };
}
