import type { FieldSource, Sourced } from '../../../pipeline/types.js';
import { cleanText, type CheerioAPI } from '../html.js';
import { parseGermanDate, parseIsoDate, type ParsedDate } from './parse-date.js';

export interface DateCandidate extends ParsedDate {
  source: FieldSource;
}

const DATE_CLASS = /date|datum|time|zeit|publish|byline|meta/i;
const UPDATE_WORDS = /aktualisiert|update|geändert|zuletzt/i;

/** Publication-date candidates from <time> elements, original publication first. */
export function timeElementCandidates($: CheerioAPI): DateCandidate[] {
  const candidates: Array<DateCandidate & { isUpdate: boolean; isMarked: boolean }> = [];
  for (const element of $('time').toArray()) {
    const time = $(element);
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

/** A German date printed near the headline ("09.12.2021, 14:35 Uhr"). */
export function visibleTextCandidate($: CheerioAPI): DateCandidate | undefined {
  const scope = $('article').length ? $('article') : $('main').length ? $('main') : $('body');
  for (const element of scope.find('*').toArray()) {
    const node = $(element);
    if (node.children().length > 2 || !DATE_CLASS.test(node.attr('class') ?? '')) continue;
    const text = cleanText(node.text());
    if (text.length > 80 || UPDATE_WORDS.test(text)) continue;
    const parsed = parseGermanDate(text);
    if (parsed) return { ...parsed, source: 'text' };
  }
  return undefined;
}

/** "/2021/12/09/" or "-2021-12-09" in the URL path. */
export function urlDateCandidate(url: string): DateCandidate | undefined {
  const match = /(?:^|[/_-])((?:19|20)\d{2})[/_-](0[1-9]|1[0-2])[/_-](0[1-9]|[12]\d|3[01])(?=$|[/_.-])/.exec(new URL(url).pathname);
  return match ? { iso: `${match[1]}-${match[2]}-${match[3]}`, hasTime: false, source: 'url' } : undefined;
}

/**
 * The documented rule for `published` (original publication, not the last update):
 * candidates are ranked JSON-LD datePublished > meta published tags > <time> (marked
 * datePublished first, update stamps dropped) > visible text > URL. The best-ranked candidate
 * wins; if it has no time of day, a lower-ranked candidate for the same day lends its time.
 */
export function choosePublished(candidates: Array<DateCandidate | undefined>): Sourced<string> | undefined {
  const present = candidates.filter((candidate): candidate is DateCandidate => candidate !== undefined);
  const best = present[0];
  if (!best) return undefined;
  if (!best.hasTime) {
    const sameDayWithTime = present.find((candidate) => candidate.hasTime && candidate.iso.slice(0, 10) === best.iso.slice(0, 10));
    if (sameDayWithTime) return { value: sameDayWithTime.iso, source: sameDayWithTime.source };
  }
  return { value: best.iso, source: best.source };
}
