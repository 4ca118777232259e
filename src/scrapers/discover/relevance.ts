import type { TopicProfile } from '../../config/schema.js';
import type { ArticleRecord, DiscoveredLink } from '../../pipeline/types.js';

export interface RelevanceVerdict {
  isOnTopic: boolean;
  /** Number of term groups matched, out of the profile's groups. */
  score: number;
  reasons: string[];
}

/**
 * Pure relevance decisions for one topic profile. An article is on topic when each group of
 * terms has a match in its headline, kicker or body, no excluded term stands in its
 * headline, and its date (if it has one) lies in the profile's window.
 */
export function judgeArticle(profile: TopicProfile, record: ArticleRecord): RelevanceVerdict {
  const headline = `${record.kicker?.value ?? ''} ${record.headline.value}`.normalize('NFC');
  const text = `${headline}\n${record.paragraphs.join('\n')}`.normalize('NFC');
  const reasons: string[] = [];
  let score = 0;
  for (const group of profile.anyOfEach) {
    const hit = group.find((term) => hasTerm(text, term));
    if (hit) {
      score += 1;
      reasons.push(`matches "${hit}"`);
    } else {
      reasons.push(`none of ${group.slice(0, 3).map((term) => `"${term}"`).join(', ')}${group.length > 3 ? ', …' : ''}`);
    }
  }
  const excluded = profile.exclude.find((term) => hasTerm(headline, term));
  if (excluded) reasons.push(`headline has excluded "${excluded}"`);
  const day = record.published?.value.slice(0, 10);
  const outsideWindow = day !== undefined && ((profile.from && day < profile.from) || (profile.to && day > profile.to));
  if (outsideWindow) reasons.push(`published ${day} outside ${profile.from ?? '…'}–${profile.to ?? '…'}`);
  // An undated "article" at a site root or a section path ("/", "/lokales/") is a front page
  // whose teaser list the extractor took for a body: on topic by its teasers, not by itself.
  const pathname = safePathname(record.url);
  const isUndatedFront = !record.published && (pathname === '/' || pathname.endsWith('/'));
  if (isUndatedFront) reasons.push('undated front or section page');
  return {
    isOnTopic: score === profile.anyOfEach.length && !excluded && !outsideWindow && !isUndatedFront,
    score,
    reasons,
  };
}

/** Priority of a link before fetching: term groups matched by its text, category and URL. */
export function scoreLink(profile: TopicProfile, link: DiscoveredLink): number {
  const slug = decodeURIComponentSafe(new URL(link.url).pathname).replace(/[-_/]+/g, ' ');
  const text = `${link.anchorText} ${link.category ?? ''} ${slug}`.normalize('NFC');
  return profile.anyOfEach.filter((group) => group.some((term) => hasTerm(text, term))).length;
}

/**
 * Case-insensitive match at a word start; short terms (acronyms like "SIS") must also end at
 * a word boundary, longer ones may continue ("Cyberangriff" matches "Cyberangriffs").
 */
export function containsTerm(text: string, term: string): boolean {
  return termPattern(term).test(text.normalize('NFC'));
}

/** `containsTerm` for text already in NFC: a caller testing many terms normalises once. */
function hasTerm(normalised: string, term: string): boolean {
  return termPattern(term).test(normalised);
}

/** One compiled pattern per term and process (the crawl scores every link against every term). */
const termPatterns = new Map<string, RegExp>();

function termPattern(term: string): RegExp {
  let pattern = termPatterns.get(term);
  if (!pattern) {
    const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[\s-]+/g, '[\\s-]*');
    const end = term.length <= 4 ? '(?![\\p{L}\\d])' : '';
    // No g/y flag: test() keeps no state between calls, so the pattern can be shared.
    pattern = new RegExp(`(?<![\\p{L}\\d])${escaped}${end}`, term.length <= 4 ? 'u' : 'iu');
    if (termPatterns.size >= 10_000) termPatterns.clear();
    termPatterns.set(term, pattern);
  }
  return pattern;
}

function safePathname(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
