import type { Element } from 'domhandler';
import { parseTextDate } from '../dates/text-dates.js';
import { cleanText, type CheerioAPI } from '../html.js';
import { isBoilerplate, LEAD_CLASS } from './boilerplate.js';
import { collectBlocks, type Block } from './blocks.js';
import { findContentRoot } from './content-root.js';
import { parseDateline } from './dateline.js';
import { classAndId, descendants, linkDensity, pageElements, rawText } from './dom.js';

export interface BodyParts {
  paragraphs: string[];
  /** Indexes into `paragraphs` of subheads (h2–h6). */
  subheads: number[];
  lead?: string | undefined;
  /** A standfirst printed apart from the body text (between headline and body), not in `paragraphs`. */
  teaser?: string | undefined;
  copyright?: string | undefined;
}

const COPYRIGHT = /^(©|\(c\)\s|copyright\s)/i;
const CREDIT_LINE = /^(Foto|Fotos|Bild|Bilder|Quelle|Titelbild|Grafik|Image|Photo|Credit)s?\s?:\s/i;

/**
 * Body = an element the page declares (itemprop=articleBody) or else the main-content heuristic
 * (content-root.ts), read as blocks (blocks.ts). A lead/standfirst outside the chosen element but
 * after the headline is put first. Copyright lines are taken out of the text into `copyright`.
 */
export function extractBody($: CheerioAPI): BodyParts {
  const root = $.root().get(0)!;
  const declared = pageElements($).filter((element) => element.attribs.itemprop === 'articleBody' && cleanText(rawText(element, isBoilerplate)).length > 200);
  const found = declared.length === 1
    ? { nodes: declared, skip: isBoilerplate }
    : findContentRoot(root);
  if (!found) return { paragraphs: [], subheads: [], copyright: findCopyrightAnywhere($) };

  const blocks = collectBlocks(found.nodes, found.skip);
  // A standfirst before the body that opens with a dateline ("Schwerin (dpa) -") is the lead of
  // the news text itself; any other standfirst is a teaser, kept apart from the paragraphs.
  const before = findLeadBefore(root, found.nodes, found.skip);
  const leadBlock = before && parseDateline(before.text) ? before : undefined;
  const teaser = before && !leadBlock ? before.text : undefined;
  if (leadBlock) blocks.unshift(leadBlock);

  const paragraphs: string[] = [];
  const subheads: number[] = [];
  const marked: boolean[] = [];
  let lead: string | undefined;
  let copyright: string | undefined;
  for (const block of blocks) {
    const text = block.text;
    if (COPYRIGHT.test(text) && text.length < 160) {
      copyright ??= text;
      continue;
    }
    if (CREDIT_LINE.test(text) && text.length < 150) continue;
    if (isDateStamp(text)) continue;
    if (text.length < 200 && linkDensity(block.element, found.skip) > 0.6 && block.tag !== 'tr') continue;
    if (paragraphs[paragraphs.length - 1] === text || text === teaser) continue;
    if (lead === undefined && (block === leadBlock || LEAD_CLASS.test(classAndId(block.element)))) lead = text;
    if (/^h[2-6]$/.test(block.tag)) subheads.push(paragraphs.length);
    marked.push(LEAD_CLASS.test(classAndId(block.element)));
    paragraphs.push(text);
  }
  // The news text starts at its dateline: marked standfirsts above it are a teaser.
  let teaserText = teaser;
  const datelineAt = paragraphs.slice(0, 3).findIndex((paragraph) => parseDateline(paragraph) !== undefined);
  if (datelineAt > 0 && teaserText === undefined && marked.slice(0, datelineAt).every(Boolean) && subheads.every((index) => index >= datelineAt)) {
    teaserText = paragraphs.slice(0, datelineAt).join(' ');
    paragraphs.splice(0, datelineAt);
    subheads.forEach((index, i) => (subheads[i] = index - datelineAt));
    if (lead !== undefined && teaserText.includes(lead)) lead = undefined;
  }
  // Trailing subheads and one-word lines ("Teilen", "Mehr zum Thema") end no article.
  while (paragraphs.length && (subheads.includes(paragraphs.length - 1) || paragraphs[paragraphs.length - 1]!.length < 15)) {
    const last = paragraphs.length - 1;
    if (subheads.includes(last)) subheads.splice(subheads.indexOf(last), 1);
    paragraphs.pop();
  }
  return {
    paragraphs,
    subheads,
    lead: lead ?? firstProse(paragraphs, subheads),
    teaser: teaserText,
    copyright: copyright ?? findCopyrightAnywhere($),
  };
}

/**
 * A lead ("lead", "intro", "standfirst", …) that sits after the page's <h1> and before the chosen
 * body elements, outside them: many layouts put it in the article header.
 */
function findLeadBefore(root: ReturnType<CheerioAPI['root']>[number], nodes: Element[], skip: (element: Element) => boolean): Block | undefined {
  const all = descendants(root);
  const first = nodes[0];
  if (!first) return undefined;
  const bodyStart = all.indexOf(first);
  let h1Index = -1;
  for (let i = bodyStart - 1; i >= 0; i--) {
    if (all[i]!.name === 'h1') {
      h1Index = i;
      break;
    }
  }
  if (h1Index < 0 || bodyStart - h1Index > 200) return undefined;
  let unmarked: Block | undefined;
  for (let i = h1Index + 1; i < bodyStart; i++) {
    const element = all[i]!;
    if (element.name === 'meta' || element.attribs.itemprop === 'headline' || nodes.some((node) => isInside(element, node))) continue;
    if (nodes.some((node) => isInside(node, element))) break;
    const marked = LEAD_CLASS.test(classAndId(element));
    if (!marked && !STANDFIRST_TAGS.has(element.name)) continue;
    if (skip(element) || isInsideSkipped(element, skip)) continue;
    const text = cleanText(rawText(element, skip));
    if (text.length < 40 || text.length > 1200 || linkDensity(element, skip) >= 0.3) continue;
    if (marked) return { text, tag: 'p', element };
    // An unmarked paragraph or h2 right under the headline that reads as prose is a standfirst.
    if (!unmarked && text.length >= 80 && /[.!?…“"»«]\s*$/.test(text) && !/\d{1,2}\.\d{1,2}\.\d{2,4}/.test(text)) unmarked = { text, tag: 'p', element };
  }
  return unmarked;
}

const DATE_STAMP_START = /^(\d|(zuletzt\s)?aktualisiert|stand\b|veröffentlicht|erstellt|publiziert|datum\b|(video\s)?verfügbar bis)/i;

/** A short line that is only a date stamp ("Aktualisiert: 03.04.2020, 12:00 Uhr"), not body text. */
function isDateStamp(text: string): boolean {
  return text.length < 70 && text.split(' ').length <= 9 && DATE_STAMP_START.test(text) && !/[.!?]["“”»«]?$/.test(text.replace(/\d\.$/, '')) && parseTextDate(text) !== undefined;
}

const STANDFIRST_TAGS = new Set(['p', 'h2']);

function isInsideSkipped(element: Element, skip: (element: Element) => boolean): boolean {
  for (let current = element.parent as Element | null; current && current.type === 'tag'; current = current.parent as Element | null) {
    if (skip(current)) return true;
  }
  return false;
}

function isInside(element: Element, container: Element): boolean {
  for (let current: Element | null = element; current; current = current.parent as Element | null) {
    if (current === container) return true;
  }
  return false;
}

function firstProse(paragraphs: string[], subheads: number[]): string | undefined {
  return paragraphs.find((paragraph, index) => !subheads.includes(index) && paragraph.length >= 40) ?? paragraphs[0];
}

const COPYRIGHT_HOLDERS = new Set(['p', 'div', 'span', 'small']);

function findCopyrightAnywhere($: CheerioAPI): string | undefined {
  for (const element of pageElements($)) {
    if (!COPYRIGHT_HOLDERS.has(element.name)) continue;
    const only = element.children.length === 1 ? element.children[0] : undefined;
    if (!only || only.type !== 'text') continue;
    const text = cleanText((only as unknown as { data: string }).data);
    if (text.length < 80 && /^©\s?\S/.test(text)) return text;
  }
  return undefined;
}
