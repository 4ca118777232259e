import type { ArticleRecord, ImageRecord, RelatedLink, Sourced } from '../../../pipeline/types.js';
import { resolveHttpUrl } from '../../discover/canonical-url.js';
import { parseIsoDate } from '../dates/parse-date.js';
import { parseTextDate } from '../dates/text-dates.js';
import { readTagElements } from '../generic/tags.js';
import { cleanText, type CheerioAPI } from '../html.js';
import { compileDateFormat } from './date-format.js';
import type { SiteProfile } from './schema.js';

type TextField = NonNullable<SiteProfile['headline']>;
type DateField = NonNullable<SiteProfile['published']>;

/**
 * Applies a profile over the generic record, field by field: a field the profile names and finds
 * on the page replaces the generic value; a field it names but does not find keeps the generic
 * value (the page may lack it); fields it does not name are untouched.
 */
export function applyProfile(record: ArticleRecord, profile: SiteProfile, $: CheerioAPI): ArticleRecord {
  const out: ArticleRecord = { ...record, profile: profile.name };
  const headline = readText($, profile.headline);
  if (headline) out.headline = { value: headline, source: 'markup' };
  if (profile.kicker) {
    const kicker = readText($, profile.kicker);
    out.kicker = kicker ? { value: kicker, source: 'markup' } : undefined;
  }
  const published = readDate($, profile.published);
  if (published) out.published = published;
  const modified = readDate($, profile.modified);
  if (modified) out.modified = modified.value === out.published?.value ? undefined : modified;
  const lead = readText($, profile.lead);
  if (profile.body) {
    const body = readBody($, profile.body);
    if (body.paragraphs.length) {
      const withLead = lead && profile.body.leadInBody && body.paragraphs[0] !== lead;
      out.paragraphs = withLead ? [lead, ...body.paragraphs] : body.paragraphs;
      out.subheads = body.subheads.length ? body.subheads.map((index) => index + (withLead ? 1 : 0)) : undefined;
    }
  }
  if (lead) out.lead = lead;
  if (profile.teaser) out.teaser = readText($, profile.teaser);
  const copyright = readText($, profile.copyright);
  if (copyright) out.copyright = copyright;
  if (profile.authors) {
    const authors = $(profile.authors.selector).toArray().map((element) => cleanText($(element).text())).filter(Boolean);
    if (authors.length) out.authors = authors;
  }
  if (profile.images) out.images = readImages($, profile.images, record.url);
  if (profile.related) {
    const links = readRelated($, profile.related, record.url);
    if (links.length) out.relatedLinks = links;
  }
  if (profile.tags) {
    const tags = readTagElements($, profile.tags.selector);
    if (tags.length) out.tags = tags;
  }
  return out;
}

function readText($: CheerioAPI, field: TextField | undefined): string | undefined {
  if (!field) return undefined;
  const element = $(field.selector).first();
  if (!element.length) return undefined;
  let text: string;
  if (field.attribute) text = cleanText(element.attr(field.attribute));
  else {
    const copy = element.clone();
    for (const remove of field.remove ?? []) copy.find(remove).remove();
    text = cleanText(copy.text());
  }
  if (field.trim) {
    const chars = [...field.trim].map((char) => char.replace(/[\]\\^-]/g, '\\$&')).join('');
    text = text.replace(new RegExp(`^[\\s${chars}]+|[\\s${chars}]+$`, 'g'), '');
  }
  return text || undefined;
}

function readDate($: CheerioAPI, field: DateField | undefined): Sourced<string> | undefined {
  const text = readText($, field);
  if (!field || !text) return undefined;
  const parsed = field.format ? compileDateFormat(field.format)(text) : parseIsoDate(text) ?? parseTextDate(text);
  if (!parsed) return undefined;
  const source = field.attribute ? ($(field.selector).first().is('time') ? 'time-element' : 'markup') : 'text';
  return { value: parsed.iso, source };
}

function readBody($: CheerioAPI, body: NonNullable<SiteProfile['body']>): { paragraphs: string[]; subheads: number[] } {
  const paragraphs: string[] = [];
  const subheads: number[] = [];
  const excluded = body.exclude.join(', ');
  for (const container of $(body.selector).toArray()) {
    for (const element of $(container).find(body.blocks).toArray()) {
      const block = $(element);
      if (excluded && (block.is(excluded) || block.closest(excluded).length)) continue;
      if (block.parents(body.blocks).filter((_, parent) => $(container).find(parent).length > 0).length) continue;
      const text = cleanText(block.text());
      if (!text) continue;
      if (block.is(body.subheads)) subheads.push(paragraphs.length);
      paragraphs.push(text);
    }
  }
  return { paragraphs, subheads };
}

function readImages($: CheerioAPI, images: NonNullable<SiteProfile['images']>, pageUrl: string): ImageRecord[] {
  return $(images.selector).toArray().map((figure) => {
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
  for (const block of $(related.block).toArray()) {
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
