import type { Dateline, ImageRecord, RelatedLink, Sourced } from '../../../pipeline/types.js';
import type { AnyNode } from 'domhandler';
import { resolveHttpUrl } from '../../discover/canonical-url.js';
import { parseIsoDate } from '../dates/parse-date.js';
import { parseTextDate } from '../dates/text-dates.js';
import { isElement, queryPage } from '../generic/dom.js';
import { readTagElements } from '../generic/tags.js';
import type { Cheerio } from 'cheerio';
import { cleanText, type CheerioAPI } from '../html.js';
import { compileDateFormat } from './date-format.js';
import type { SiteProfile } from './schema.js';

type TextField = NonNullable<SiteProfile['headline']>;
type DateField = NonNullable<SiteProfile['published']>;

/**
 * The generic extractor's fields, each computed only when asked for: a profile that finds a field
 * on the page makes the generic value unnecessary, and the generic body, images and links are
 * the costly part of extraction.
 */
export interface GenericFields {
  headline: Sourced<string>;
  kicker: Sourced<string> | undefined;
  body(): { lead?: string | undefined; teaser?: string | undefined; paragraphs: string[]; subheads: number[]; copyright?: string | undefined };
  published(): Sourced<string> | undefined;
  /** Already compared with the generic `published` (absent when equal). */
  modified(): Sourced<string> | undefined;
  dateline(): Dateline | undefined;
  images(): ImageRecord[];
  relatedLinks(): RelatedLink[];
  authors(): string[] | undefined;
  tags(): string[] | undefined;
}

/** The record fields a profile can decide; the rest (URL, site, language, …) are the page's. */
export interface ProfiledFields {
  headline: Sourced<string>;
  kicker: Sourced<string> | undefined;
  lead: string | undefined;
  teaser: string | undefined;
  paragraphs: string[];
  subheads: number[] | undefined;
  published: Sourced<string> | undefined;
  modified: Sourced<string> | undefined;
  copyright: string | undefined;
  images: ImageRecord[];
  relatedLinks: RelatedLink[];
  authors: string[] | undefined;
  tags: string[] | undefined;
}

/**
 * Applies a profile over the generic fields, field by field: a field the profile names and finds
 * on the page replaces the generic value; a field it names but does not find keeps the generic
 * value (the page may lack it); fields it does not name are untouched.
 */
export function applyProfile(generic: GenericFields, profile: SiteProfile, $: CheerioAPI, pageUrl: string): ProfiledFields {
  const headline = readText($, profile.headline);
  const kicker = profile.kicker ? readText($, profile.kicker) : undefined;
  const published = readDate($, profile.published) ?? generic.published();
  const profileModified = readDate($, profile.modified);
  const modified = profileModified ? (profileModified.value === published?.value ? undefined : profileModified) : generic.modified();
  const lead = readText($, profile.lead);
  let paragraphs: string[] | undefined;
  let subheads: number[] | undefined;
  if (profile.body) {
    const body = readBody($, profile.body);
    if (body.paragraphs.length) {
      const withLead = lead && profile.body.leadInBody && body.paragraphs[0] !== lead;
      paragraphs = withLead ? [lead, ...body.paragraphs] : body.paragraphs;
      subheads = body.subheads.length ? body.subheads.map((index) => index + (withLead ? 1 : 0)) : undefined;
    }
  }
  const genericBody = paragraphs ? undefined : generic.body();
  const copyright = readText($, profile.copyright);
  const authors = profile.authors ? queryPage($, profile.authors.selector).toArray().map((element) => cleanText($(element).text())).filter(Boolean) : [];
  const related = profile.related ? readRelated($, profile.related, pageUrl) : [];
  const tags = profile.tags ? readTagElements($, profile.tags.selector) : [];
  return {
    headline: headline ? { value: headline, source: 'markup' } : generic.headline,
    kicker: profile.kicker ? (kicker ? { value: kicker, source: 'markup' } : undefined) : generic.kicker,
    lead: lead ?? generic.body().lead,
    // A profile that reads the body knows the layout: a standfirst it does not name is not there
    // (and the generic body heuristic, the costliest part of extraction, is not run for it).
    teaser: profile.teaser ? readText($, profile.teaser) : paragraphs ? undefined : genericBody!.teaser,
    paragraphs: paragraphs ?? genericBody!.paragraphs,
    subheads: paragraphs ? subheads : genericBody!.subheads.length ? genericBody!.subheads : undefined,
    published,
    modified,
    copyright: copyright ?? generic.body().copyright,
    images: profile.images ? readImages($, profile.images, pageUrl) : generic.images(),
    relatedLinks: related.length ? related : generic.relatedLinks(),
    authors: authors.length ? authors : generic.authors(),
    tags: tags.length ? tags : generic.tags(),
  };
}

function readText($: CheerioAPI, field: TextField | undefined): string | undefined {
  return field ? readTextOf(queryPage($, field.selector).first(), field) : undefined;
}

function readTextOf(element: Cheerio<AnyNode>, field: TextField): string | undefined {
  if (!element.length) return undefined;
  let text: string;
  if (field.attribute) text = cleanText(element.attr(field.attribute));
  else if (!field.remove?.length) text = cleanText(element.text());
  else {
    // Removing parts needs a copy: the page itself is shared with the other readers.
    const copy = element.clone();
    for (const remove of field.remove) copy.find(remove).remove();
    text = cleanText(copy.text());
  }
  if (field.trim) {
    const chars = [...field.trim].map((char) => char.replace(/[\]\\^-]/g, '\\$&')).join('');
    text = text.replace(new RegExp(`^[\\s${chars}]+|[\\s${chars}]+$`, 'g'), '');
  }
  return text || undefined;
}

function readDate($: CheerioAPI, field: DateField | undefined): Sourced<string> | undefined {
  if (!field) return undefined;
  const element = queryPage($, field.selector).first();
  const text = readTextOf(element, field);
  if (!text) return undefined;
  const parsed = field.format ? compileDateFormat(field.format)(text) : parseIsoDate(text) ?? parseTextDate(text);
  if (!parsed) return undefined;
  const source = field.attribute ? (element.is('time') ? 'time-element' : 'markup') : 'text';
  return { value: parsed.iso, source };
}

function readBody($: CheerioAPI, body: NonNullable<SiteProfile['body']>): { paragraphs: string[]; subheads: number[] } {
  const paragraphs: string[] = [];
  const subheads: number[] = [];
  const excluded = body.exclude.join(', ');
  for (const container of queryPage($, body.selector).toArray()) {
    for (const element of $(container).find(body.blocks).toArray()) {
      const block = $(element);
      if (excluded && (block.is(excluded) || block.closest(excluded).length)) continue;
      if (hasBlockAncestorWithin($, element, container, body.blocks)) continue;
      const text = cleanText(block.text());
      if (!text) continue;
      if (block.is(body.subheads)) subheads.push(paragraphs.length);
      paragraphs.push(text);
    }
  }
  return { paragraphs, subheads };
}

/** A block nested in another block of the same container is read with its outer block. */
function hasBlockAncestorWithin($: CheerioAPI, element: AnyNode, container: AnyNode, blocks: string): boolean {
  for (let node = element.parent; node && node !== container; node = node.parent) {
    if (isElement(node) && $(node).is(blocks)) return true;
  }
  return false;
}

function readImages($: CheerioAPI, images: NonNullable<SiteProfile['images']>, pageUrl: string): ImageRecord[] {
  return queryPage($, images.selector).toArray().map((figure) => {
    const node = $(figure);
    const creditElement = images.credit ? node.find(images.credit).first() : undefined;
    const credit = creditElement?.length ? cleanText(creditElement.text()) : undefined;
    const captionElement = images.caption ? node.find(images.caption).first().clone() : undefined;
    if (captionElement && images.credit) captionElement.find(images.credit).remove();
    const caption = captionElement ? cleanText(captionElement.text()) : undefined;
    const src = node.is('img') ? node.attr('src') : node.find('img').attr('src');
    return { src: src ? resolveHttpUrl(src, pageUrl) : undefined, caption: caption || undefined, credit: credit || undefined };
  });
}

function readRelated($: CheerioAPI, related: NonNullable<SiteProfile['related']>, pageUrl: string): RelatedLink[] {
  const links: RelatedLink[] = [];
  for (const block of queryPage($, related.block).toArray()) {
    const labelElement = related.labelBefore ? $(block).prevAll(related.label).first() : $(block).find(related.label).first();
    const label = cleanText(labelElement.text()) || undefined;
    for (const anchor of $(block).find(related.link).toArray()) {
      const url = resolveHttpUrl($(anchor).attr('href') ?? '', pageUrl);
      if (!url) continue;
      const category = related.category ? cleanText($(anchor).find(related.category).text()) || undefined : undefined;
      const title = cleanText(related.title ? $(anchor).find(related.title).text() : $(anchor).text());
      if (title) links.push({ url, title, sectionLabel: label, category });
    }
  }
  return links;
}
