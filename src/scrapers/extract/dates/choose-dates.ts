import type { FieldSource, Sourced } from '../../../pipeline/types.js';
import type { AnyNode, Element } from 'domhandler';
import { pageElements } from '../generic/dom.js';
import { cleanText, type CheerioAPI } from '../html.js';
import { parseTextDate } from './text-dates.js';
import { parseGermanDate, parseIsoDate, type ParsedDate } from './parse-date.js';

export interface DateCandidate extends ParsedDate {
  source: FieldSource;
}

const UPDATE_WORDS = /aktualisiert|update|geändert|zuletzt/i;

/** Publication-date candidates from <time> elements, original publication first. */
export function timeElementCandidates($: CheerioAPI): DateCandidate[] {
  const candidates: Array<DateCandidate & { isUpdate: boolean; isMarked: boolean }> = [];
  for (const element of pageElements($).filter((candidate) => candidate.name === 'time')) {
    const time = $(element);
    // A <time> inside a quoted or embedded post (blockquote, comments) dates that post, not the page.
    if (time.closest('blockquote, aside, [class*="comment"], [class*="embed"]').length) continue;
    // A <time> in the site's navigation, page header or footer is the site's clock or a listing.
    if (time.closest('nav, footer, [class*="nav"], [id*="nav"]').length) continue;
    const header = time.closest('header');
    if (header.length && !header.closest('article, main').length && !header.find('h1').length) continue;
    const raw = time.attr('datetime') ?? time.attr('content');
    const parsed = (raw && parseIsoDate(raw)) || parseGermanDate(cleanText(time.text()));
    if (!parsed) continue;
    const context = `${time.attr('class') ?? ''} ${time.attr('itemprop') ?? ''} ${cleanText(time.parent().text()).slice(0, 80)}`;
    candidates.push({
      ...parsed,
      source: 'time-element',
      isUpdate: /dateModified/i.test(time.attr('itemprop') ?? '') || UPDATE_WORDS.test(context),
      isMarked: /datePublished|pubdate/i.test(`${time.attr('itemprop') ?? ''} ${time.attr('pubdate') !== undefined ? 'pubdate' : ''}`),
    });
  }
  return candidates
    .filter((candidate) => !candidate.isUpdate)
    .sort((a, b) => Number(b.isMarked) - Number(a.isMarked))
    .map(({ iso, hasTime, source }) => ({ iso, hasTime, source }));
}

/**
 * A date printed near the headline ("09.12.2021, 14:35 Uhr", "March 18, 2020", "vor 2 Stunden").
 * Short text snippets are read in document order: the first date within the 60 snippets after the
 * <h1>, else one within 15 snippets before it, else a labelled one ("Datum:", "Veröffentlicht")
 * anywhere. Snippets that speak of an update are skipped.
 */
export function visibleTextCandidate($: CheerioAPI, fetchedAt?: string): DateCandidate | undefined {
  const { snippets, h1Index } = textSnippets($);
  const at = (index: number): DateCandidate | undefined => {
    const text = `${snippets[index - 1]?.length ?? 99 < 30 ? snippets[index - 1] : ''} ${snippets[index]} ${snippets[index + 1] ?? ''}`;
    if (snippets[index]!.length > 160 || UPDATE_WORDS.test(`${snippets[index - 1] ?? ''} ${snippets[index]}`)) return undefined;
    const parsed = parseTextDate(snippets[index]!.length < 12 ? text : snippets[index]!, fetchedAt);
    return parsed ? { ...parsed, source: 'text' } : undefined;
  };
  if (h1Index >= 0) {
    for (let i = h1Index; i < Math.min(snippets.length, h1Index + 60); i++) {
      const found = at(i);
      if (found) return found;
    }
    for (let i = h1Index - 1; i >= Math.max(0, h1Index - 15); i--) {
      const found = at(i);
      if (found) return found;
    }
  }
  const classed = classedDate($, fetchedAt);
  if (classed) return classed;
  for (let i = 0; i < snippets.length; i++) {
    if (!DATE_LABEL.test(snippets[i]!) && !DATE_LABEL.test(snippets[i - 1] ?? '')) continue;
    const found = at(i);
    if (found) return found;
  }
  return undefined;
}

const DATE_CLASS = /date|datum|time|zeit|publish|byline|meta/i;

/** A short element whose class says it holds a date ("date", "datum", "byline", "meta"). */
function classedDate($: CheerioAPI, fetchedAt?: string): DateCandidate | undefined {
  const scope = $('article').length ? $('article') : $('main').length ? $('main') : $('body');
  for (const element of scope.find('[class]').toArray()) {
    if (!DATE_CLASS.test(element.attribs.class ?? '') || element.children.length > 6) continue;
    const text = cleanText($(element).text());
    if (text.length > 100 || UPDATE_WORDS.test(text)) continue;
    const parsed = parseTextDate(text, fetchedAt);
    if (parsed) return { ...parsed, source: 'text' };
  }
  return undefined;
}

const SKIP_TAGS = new Set(['script', 'style', 'noscript', 'template', 'head', 'nav', 'footer', 'select', 'option', 'button']);
const DATE_LABEL = /^(Datum|Veröffentlicht|Publiziert|Erschienen|Erstellt|Published|Posted|Date)\b/i;

const MODIFIED_LABEL = /^(Zuletzt aktualisiert|Aktualisiert|Geändert|Letzte Aktualisierung|Updated|Last updated|Stand)\b\s*:?\s*(am\s)?/i;

/** A printed update stamp ("Aktualisiert: 15. Oktober 2021, 19:05 Uhr") for `modified`. */
export function modifiedTextCandidate($: CheerioAPI, fetchedAt?: string): DateCandidate | undefined {
  const root = $.root().get(0)!;
  const cached = snippetCache.get(root);
  // Without the page's snippets at hand, only text nodes that can open with a label are cleaned.
  const texts = cached ? cached.snippets : visibleTextNodes(root);
  const snippet = (i: number): string => (cached ? texts[i]! : cleanText(texts[i]));
  for (let i = 0; i < texts.length; i++) {
    if (!cached && !mayOpenWithModifiedLabel(texts[i]!)) continue;
    const text = snippet(i);
    if (text.length > 80 || !MODIFIED_LABEL.test(text)) continue;
    const rest = text.replace(MODIFIED_LABEL, '');
    const parsed = parseTextDate(rest.length >= 6 ? rest : `${rest} ${nextSnippet(snippet, texts.length, i)}`, fetchedAt);
    if (parsed) return { ...parsed, source: 'text' };
  }
  return undefined;
}

/** The snippet after `i`: the next text that is not blank once cleaned. */
function nextSnippet(snippet: (i: number) => string, count: number, i: number): string {
  for (let next = i + 1; next < count; next++) {
    const text = snippet(next);
    if (text) return text;
  }
  return '';
}

/**
 * Whether cleanText(raw) can start like MODIFIED_LABEL: its first character is the first one of
 * `raw` that is neither whitespace (\s, what trim() and cleanText drop) nor a zero-width space.
 */
function mayOpenWithModifiedLabel(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i]!;
    if (char === '\u200b' || /\s/.test(char)) continue;
    return MODIFIED_LABEL_FIRST_LETTERS.includes(char.toLowerCase());
  }
  return false;
}

/** First letters of the MODIFIED_LABEL alternatives (Zuletzt, Aktualisiert, Geändert, Letzte, Updated, Last, Stand). */
const MODIFIED_LABEL_FIRST_LETTERS = 'zaglus';

/** The raw text of the nodes `textSnippets` reads, same walk, nothing cleaned yet. */
function visibleTextNodes(root: AnyNode): string[] {
  const texts: string[] = [];
  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      texts.push((node as unknown as { data: string }).data);
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root') return;
    const element = node as Element;
    if (node.type === 'tag' && SKIP_TAGS.has(element.name)) return;
    for (const child of element.children) walk(child);
  };
  walk(root);
  return texts;
}

/** Visible text snippets in document order and where the first <h1> starts (memoised per page). */
const snippetCache = new WeakMap<object, { snippets: string[]; h1Index: number }>();

function textSnippets($: CheerioAPI): { snippets: string[]; h1Index: number } {
  const root = $.root().get(0)!;
  const cached = snippetCache.get(root);
  if (cached) return cached;
  const snippets: string[] = [];
  let h1Index = -1;
  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      const text = cleanText((node as unknown as { data: string }).data);
      if (text) snippets.push(text);
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root') return;
    const element = node as Element;
    if (node.type === 'tag' && SKIP_TAGS.has(element.name)) return;
    if (element.name === 'h1' && h1Index < 0) h1Index = snippets.length;
    for (const child of element.children) walk(child);
  };
  walk(root);
  const result = { snippets, h1Index };
  snippetCache.set(root, result);
  return result;
}

/** Microdata: any element with itemprop="datePublished" (content or datetime attribute). */
export function microdataCandidate($: CheerioAPI): DateCandidate | undefined {
  for (const element of pageElements($).filter((candidate) => candidate.attribs.itemprop === 'datePublished' || candidate.attribs.itemprop === 'dateCreated')) {
    const raw = $(element).attr('content') ?? $(element).attr('datetime');
    const parsed = raw ? parseIsoDate(raw) : parseTextDate(cleanText($(element).text()));
    if (parsed) return { ...parsed, source: 'markup' };
  }
  return undefined;
}

const DATE_ATTRIBUTES = ['data-date', 'data-published', 'data-publish-date', 'data-pubdate', 'data-published-at'];

/** A date in a data attribute of the page's markup (data-date="18. März 2020", data-published="…"). */
export function dataAttributeCandidate($: CheerioAPI): DateCandidate | undefined {
  for (const element of pageElements($)) {
    const attribs = element.attribs;
    if (!DATE_ATTRIBUTES.some((name) => attribs[name] !== undefined)) continue;
    const raw = attribs['data-published'] ?? attribs['data-publish-date'] ?? attribs['data-pubdate'] ?? attribs['data-published-at'] ?? attribs['data-date'] ?? '';
    if (UPDATE_WORDS.test(attribs.class ?? '')) continue;
    const parsed = parseIsoDate(raw) ?? parseTextDate(raw);
    if (parsed) return { ...parsed, source: 'markup' };
  }
  return undefined;
}

/** "datePublished": "…" in inline scripts (page state, broken JSON-LD) that JSON.parse could not read. */
export function scriptJsonCandidate(html: string): DateCandidate | undefined {
  const match = /["']?(?:datePublished|date_published|publishedAt|published_at|publishDate|firstPublished|publishedFirst|first[-_]publication|first[-_]published|pubDate|publicationDate)["']?\s*:\s*["'](\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}\.\d{1,2}\.\d{4}(?: \d{1,2}:\d{2})?)["']/.exec(html);
  const parsed = match ? parseIsoDate(match[1]!) ?? parseTextDate(match[1]!) : undefined;
  return parsed ? { ...parsed, source: 'markup' } : undefined;
}

/** "/2021/12/09/" or "-2021-12-09" in the URL path. */
export function urlDateCandidate(url: string): DateCandidate | undefined {
  const match = /(?:^|[/_-])((?:19|20)\d{2})[/_-](0[1-9]|1[0-2])[/_-](0[1-9]|[12]\d|3[01])(?=$|[/_.-])/.exec(new URL(url).pathname);
  return match ? { iso: `${match[1]}-${match[2]}-${match[3]}`, hasTime: false, source: 'url' } : undefined;
}

/**
 * The documented rule for `published` (original publication, not the last update):
 * candidates are ranked JSON-LD datePublished > meta published tags > microdata > <time> (marked
 * datePublished first, update stamps dropped) > data-date attributes > dates in inline script data > visible text > URL. The best-ranked candidate
 * wins; if it has no time of day, a lower-ranked candidate for the same day lends its time, and a
 * timed date printed on the page (time element or text) for the day before replaces it (a bare
 * day in metadata is often the print or CMS day).
 */
function dayDistance(a: string, b: string): number {
  return Math.abs(Date.parse(a.slice(0, 10)) - Date.parse(b.slice(0, 10))) / 86_400_000;
}

export function choosePublished(candidates: Array<DateCandidate | undefined>): Sourced<string> | undefined {
  return chooseFromPresent(candidates.filter((candidate): candidate is DateCandidate => candidate !== undefined));
}

/** A candidate, or several, or how to find them: the costly ones (visible text) are only looked for when needed. */
export type CandidateSource = DateCandidate | DateCandidate[] | undefined | (() => DateCandidate | DateCandidate[] | undefined);

/**
 * choosePublished over candidates found on demand, in rank order: the lower-ranked ones only
 * matter when the best has no time of day, so a timed best candidate ends the search (same
 * answer, without reading the page's visible text).
 */
export function choosePublishedLazily(sources: CandidateSource[]): Sourced<string> | undefined {
  const present: DateCandidate[] = [];
  for (const source of sources) {
    const found = typeof source === 'function' ? source() : source;
    for (const candidate of Array.isArray(found) ? found : [found]) if (candidate) present.push(candidate);
    if (present[0]?.hasTime) return { value: present[0].iso, source: present[0].source };
  }
  return chooseFromPresent(present);
}

function chooseFromPresent(present: DateCandidate[]): Sourced<string> | undefined {
  const best = present[0];
  if (!best) return undefined;
  if (!best.hasTime) {
    const sameDayWithTime = present.find((candidate) => candidate.hasTime && candidate.iso.slice(0, 10) === best.iso.slice(0, 10));
    if (sameDayWithTime) return { value: sameDayWithTime.iso, source: sameDayWithTime.source };
    // A bare day in metadata a day off a timed date printed on the page is a print or CMS day.
    const dayBefore = present.find((candidate) => candidate.hasTime && (candidate.source === 'time-element' || candidate.source === 'text') && dayDistance(candidate.iso, best.iso) === 1 && candidate.iso < best.iso);
    if (dayBefore) return { value: dayBefore.iso, source: dayBefore.source };
  }
  return { value: best.iso, source: best.source };
}
