import type { ArticleRecord, Dateline, ExtractOutcome } from '../../pipeline/types.js';
import { choosePublishedLazily, dataAttributeCandidate, microdataCandidate, modifiedTextCandidate, scriptJsonCandidate, timeElementCandidates, urlDateCandidate, visibleTextCandidate } from './dates/choose-dates.js';
import { parseIsoDate } from './dates/parse-date.js';
import { decodeHtml } from './encoding.js';
import { extractBody, type BodyParts } from './generic/body.js';
import { parseDateline } from './generic/dateline.js';
import { extractHeadline } from './generic/headline.js';
import { extractImages } from './generic/images.js';
import { readJsonLdArticle } from './generic/json-ld.js';
import { MODIFIED_META, PUBLISHED_META, readLooseMetaPublished, readMeta } from './generic/meta-tags.js';
import { pageElements, queryPage } from './generic/dom.js';
import { extractRelatedLinks } from './generic/related-links.js';
import { extractTags } from './generic/tags.js';
import { cleanText, parseHtml, type CheerioAPI } from './html.js';
import { applyProfile, type GenericFields, type ProfiledFields } from './profiles/apply.js';
import { findProfile, shippedProfiles } from './profiles/registry.js';
import type { SiteProfile } from './profiles/schema.js';

export interface ExtractInput {
  body: Uint8Array;
  /** The URL the bytes were served from (after redirects). */
  url: string;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
  fetchedAt: string;
  /** Site profiles to consider; the shipped ones (src/scrapers/extract/profiles/*.json) by default. */
  profiles?: SiteProfile[] | undefined;
}

/** Less body text than this is a hub, gallery or error page, not an article. */
const MIN_BODY_CHARS = 250;

/** A page decoded and parsed once: extraction, link discovery and render checks share it. */
export interface ParsedPage {
  text: string;
  $: CheerioAPI;
}

export function parsePage(input: Pick<ExtractInput, 'body' | 'headers'>): ParsedPage {
  const { text } = decodeHtml(input.body, input.headers['content-type']);
  return { text, $: parseHtml(text) };
}

/**
 * Pure: bytes + URL + headers in, record out. No network, no clock (fetchedAt is an input).
 * Never throws on bad HTML: what cannot be read is absent from the record.
 */
export function extractArticle(input: ExtractInput, parsed?: ParsedPage): ExtractOutcome {
  const record = extractRecord(input, parsed);
  const bodyChars = record?.paragraphs.reduce((sum, paragraph) => sum + paragraph.length, 0) ?? 0;
  if (!record || bodyChars < MIN_BODY_CHARS) {
    return {
      kind: 'not-an-article',
      url: input.url,
      reason: !record ? 'no headline found' : `only ${bodyChars} characters of body text`,
    };
  }
  return { kind: 'article', record };
}

/**
 * Everything the page says, without judging whether it is an article (for `chronik extract` and
 * evaluation). Undefined only when the page has no headline at all.
 */
export function extractRecord(input: ExtractInput, parsed: ParsedPage = parsePage(input)): ArticleRecord | undefined {
  const { text, $ } = parsed;
  const jsonLd = readJsonLdArticle($);

  const elements = pageElements($);
  // link[rel="canonical"] (rel compares case-insensitively in HTML)
  const canonicalHref = elements.find((element) => element.name === 'link' && element.attribs.rel?.toLowerCase() === 'canonical')?.attribs.href;
  const canonicalUrl = safeUrl(canonicalHref, input.url) ?? input.url;
  const { headline, kicker } = extractHeadline($, [jsonLd?.headline, readMeta($, ['og:title', 'twitter:title']), queryPage($, 'title').text()]);
  if (!headline) return undefined;

  // Each generic field is computed once, and only when the record needs it (see GenericFields).
  const body = once(() => preferDeclaredBody(extractBody($), jsonLd?.articleBody));
  // Found on demand: the lower-ranked candidates are only read when the best has no time of day.
  const published = once(() => choosePublishedLazily([
    fromIso(jsonLd?.datePublished, 'json-ld'),
    () => fromIso(readMeta($, PUBLISHED_META) ?? readLooseMetaPublished($), 'meta'),
    () => microdataCandidate($),
    () => timeElementCandidates($),
    () => dataAttributeCandidate($),
    () => scriptJsonCandidate(text),
    () => visibleTextCandidate($, input.fetchedAt),
    () => urlDateCandidate(canonicalUrl) ?? urlDateCandidate(input.url),
  ]));
  const generic: GenericFields = {
    headline,
    kicker,
    body,
    published,
    modified: once(() => {
      const modified = choosePublishedLazily([fromIso(jsonLd?.dateModified, 'json-ld'), () => fromIso(readMeta($, MODIFIED_META), 'meta'), () => modifiedTextCandidate($, input.fetchedAt)]);
      return modified && modified.value !== published()?.value ? modified : undefined;
    }),
    dateline: once(() => findDateline([body().lead, ...body().paragraphs.slice(0, 3)])),
    images: () => extractImages($, input.url),
    relatedLinks: () => extractRelatedLinks($, input.url),
    authors: () => nonEmpty(jsonLd?.authors.length ? jsonLd.authors : splitList(readMeta($, ['author', 'article:author', 'dc.creator', 'byl']))),
    tags: () => extractTags($, jsonLd?.keywords),
  };
  const page = {
    url: input.url,
    canonicalUrl,
    language: cleanText(elements.find((element) => element.name === 'html')?.attribs.lang) || jsonLd?.inLanguage || undefined,
    fetchedAt: input.fetchedAt,
  };
  const profile = findProfile(input.profiles ?? shippedProfiles(), input.url, $);
  if (!profile) return toRecord(page, genericRecordFields(generic), generic.dateline());
  const profiled = applyProfile(generic, profile, $, input.url);
  const dateline = findDateline([profiled.lead, ...profiled.paragraphs.slice(0, 3)]) ?? generic.dateline();
  return { ...toRecord(page, profiled, dateline), profile: profile.name };
}

/** The generic extractor's record fields, when no profile knows the site. */
function genericRecordFields(generic: GenericFields): ProfiledFields {
  const body = generic.body();
  return {
    headline: generic.headline,
    kicker: generic.kicker,
    lead: body.lead,
    teaser: body.teaser,
    paragraphs: body.paragraphs,
    subheads: body.subheads.length ? body.subheads : undefined,
    published: generic.published(),
    modified: generic.modified(),
    copyright: body.copyright,
    images: generic.images(),
    relatedLinks: generic.relatedLinks(),
    authors: generic.authors(),
    tags: generic.tags(),
  };
}

/** One field order for every record (`chronik extract` prints them as JSON). */
function toRecord(page: { url: string; canonicalUrl: string; language: string | undefined; fetchedAt: string }, fields: ProfiledFields, dateline: Dateline | undefined): ArticleRecord {
  return {
    url: page.url,
    canonicalUrl: page.canonicalUrl,
    site: siteOf(page.canonicalUrl),
    headline: fields.headline,
    kicker: fields.kicker,
    lead: fields.lead,
    teaser: fields.teaser,
    paragraphs: fields.paragraphs,
    published: fields.published,
    modified: fields.modified,
    dateline,
    copyright: fields.copyright,
    images: fields.images,
    relatedLinks: fields.relatedLinks,
    language: page.language,
    fetchedAt: page.fetchedAt,
    subheads: fields.subheads,
    authors: fields.authors,
    tags: fields.tags,
  };
}

function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/**
 * When the page's JSON-LD carries the article text and the visible-text heuristic found less than
 * half of it (text rendered by scripts, or a layout the heuristic misreads), the declared text wins.
 */
function preferDeclaredBody(body: BodyParts, articleBody: string | undefined): BodyParts {
  if (!articleBody) return body;
  const declared = articleBody.replace(/<[^>]+>/g, ' ').split(/\n\s*\n|\r?\n/).map((part) => cleanText(part)).filter(Boolean);
  const declaredChars = declared.reduce((sum, part) => sum + part.length, 0);
  const foundChars = body.paragraphs.reduce((sum, part) => sum + part.length, 0);
  if (declaredChars < 250 || foundChars >= declaredChars * 0.5) return body;
  return { ...body, paragraphs: declared, subheads: [], lead: body.lead && declared.includes(body.lead) ? body.lead : declared[0] };
}

/** The dateline ("Schwerin/Parchim (dpa/mv) -") opens the lead or one of the first paragraphs. */
function findDateline(candidates: Array<string | undefined>): Dateline | undefined {
  for (const text of candidates) {
    const found = text ? parseDateline(text)?.dateline : undefined;
    if (found) return found;
  }
  return undefined;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(/[,;]/).map((part) => cleanText(part)).filter((part) => part && !/^https?:/.test(part));
}

function nonEmpty(values: string[]): string[] | undefined {
  const unique = [...new Set(values.map((value) => cleanText(value)).filter(Boolean))];
  return unique.length ? unique : undefined;
}

function fromIso(value: string | undefined, source: 'json-ld' | 'meta') {
  const parsed = value ? parseIsoDate(value) : undefined;
  return parsed ? { ...parsed, source } : undefined;
}

function safeUrl(href: string | undefined, base: string): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** "www.svz.de" → "svz.de"; a non-default port stays, so portals on one host remain apart. */
export function siteOf(url: string): string {
  return new URL(url).host.replace(/^www\./, '');
}
