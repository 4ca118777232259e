import type { Element } from 'domhandler';
import { cleanText, type CheerioAPI } from '../html.js';

export interface BodyParts {
  paragraphs: string[];
  lead?: string | undefined;
  copyright?: string | undefined;
}

/** Regions that never hold article text. */
const BOILERPLATE = 'aside, nav, header, footer, form, figure, figcaption, script, style, noscript, template, iframe, button, [role="navigation"], [role="complementary"], [aria-hidden="true"], .related, .teaser, .comments, .advertisement, .ad, .share, .social, .newsletter, .breadcrumb';
const BLOCKS = 'p, h2, h3, h4, li, blockquote';
const COPYRIGHT = /^©|^\(c\)\s|copyright\s/i;

/**
 * Main-content heuristic: the element whose own paragraphs hold the most text (link text
 * discounted) is the body; its paragraphs and subheads are read in order, skipping boilerplate.
 */
export function extractBody($: CheerioAPI): BodyParts {
  const container = findBodyContainer($);
  if (!container) return { paragraphs: [] };
  const paragraphs: string[] = [];
  let lead: string | undefined;
  let copyright: string | undefined;
  for (const element of $(container).find(BLOCKS).toArray()) {
    const block = $(element);
    if (block.closest(BOILERPLATE).length && !$(container).is(block.closest(BOILERPLATE))) continue;
    if (element.tagName === 'li' && block.closest('article, [itemprop="articleBody"]').length === 0) continue;
    if (block.parents(BLOCKS).length) continue; // text counted with its outer block
    const text = cleanText(block.text());
    if (!text) continue;
    if (COPYRIGHT.test(text) && text.length < 120) {
      copyright ??= text;
      continue;
    }
    if (linkDensity($, element, text) > 0.6) continue;
    if (/^(Foto|Bild|Quelle):\s/i.test(text) && text.length < 150) continue;
    if (lead === undefined && /\blead\b|\bintro|teaser-text|standfirst|summary/i.test(block.attr('class') ?? '')) lead = text;
    paragraphs.push(text);
  }
  return { paragraphs, lead: lead ?? paragraphs[0], copyright: copyright ?? findCopyrightAnywhere($) };
}

function findBodyContainer($: CheerioAPI): Element | undefined {
  const declared = $('[itemprop="articleBody"]').first();
  if (declared.length && cleanText(declared.text()).length > 200) return declared.get(0) as Element;
  const scores = new Map<Element, number>();
  for (const element of $('p').toArray()) {
    const paragraph = $(element);
    if (paragraph.closest(BOILERPLATE).length) continue;
    const text = cleanText(paragraph.text());
    if (text.length < 25) continue;
    const parent = element.parent as Element | null;
    if (!parent || parent.type !== 'tag') continue;
    const weight = text.length * (1 - linkDensity($, element, text));
    scores.set(parent, (scores.get(parent) ?? 0) + weight);
    const grandparent = parent.parent as Element | null;
    if (grandparent && grandparent.type === 'tag') scores.set(grandparent, (scores.get(grandparent) ?? 0) + weight / 2);
  }
  let best: Element | undefined;
  let bestScore = 0;
  for (const [element, score] of scores) {
    if (score > bestScore) {
      best = element;
      bestScore = score;
    }
  }
  // Prefer the enclosing <article> when the best block sits inside it: lead and subheads live there too.
  const article = best ? $(best).closest('article') : undefined;
  return article?.length ? (article.get(0) as Element) : best;
}

function linkDensity($: CheerioAPI, element: Element, text: string): number {
  if (!text) return 0;
  const linkText = cleanText($(element).find('a').text());
  return linkText.length / text.length;
}

function findCopyrightAnywhere($: CheerioAPI): string | undefined {
  for (const element of $('p, div, span, small').toArray()) {
    const text = cleanText($(element).text());
    if (text.length < 80 && /^©\s?\S/.test(text) && $(element).children().length === 0) return text;
  }
  return undefined;
}
