import type { Sourced } from '../../../pipeline/types.js';
import { cleanText, type CheerioAPI } from '../html.js';
import { hasAncestorNamed, pageElements } from './dom.js';

const KICKER_CLASS = /kicker|topline|dachzeile|roofline|overline|spitzmarke|eyebrow|supertitle/i;

export interface HeadlineParts {
  headline?: Sourced<string> | undefined;
  kicker?: Sourced<string> | undefined;
}

/**
 * The visible <h1> wins over metadata: portals often append their name to og:title.
 * A kicker ("Ludwigslust-Parchim:") is a marked-up part of the h1 or a sibling just above it.
 */
export function extractHeadline($: CheerioAPI, fallbackTitles: Array<string | undefined>): HeadlineParts {
  const headings = pageElements($).filter((element) => element.name === 'h1');
  const h1Element = headings.find((element) => hasAncestorNamed(element, 'article')) ?? headings[0];
  if (h1Element) {
    const h1 = $(h1Element);
    const kickerElement = h1.find('*').filter((_, element) => KICKER_CLASS.test($(element).attr('class') ?? '')).first();
    let kicker = cleanText(kickerElement.text());
    let headline = cleanText(h1.text());
    if (kicker && headline.startsWith(kicker)) {
      headline = cleanText(headline.slice(kicker.length)).replace(/^[:|–—-]\s*/, '');
    } else {
      kicker = cleanText(h1.prevAll().filter((_, element) => KICKER_CLASS.test($(element).attr('class') ?? '')).first().text());
    }
    kicker = kicker.replace(/\s*:$/, '');
    const titles = fallbackTitles.map((title) => stripSiteName(cleanText(title))).filter((title) => title.length >= 10);
    // An h1 holding "Kicker Headline" without marking the kicker: the page's metadata title is the
    // headline's end, and what stands before it is the kicker.
    const tail = titles.find((title) => headline.length > title.length && headline.endsWith(title));
    if (tail && !kicker) {
      kicker = cleanText(headline.slice(0, headline.length - tail.length)).replace(/\s*[:|–—-]$/, '');
      headline = tail;
    }
    // An h1 that is only a section or place name ("Literatur", "Bangkok") is not the headline.
    const longer = titles.find((title) => title.split(' ').length >= 3 && !title.includes(headline));
    if (headline && headline.split(' ').length <= 2 && longer) {
      return { headline: { value: longer, source: 'meta' }, kicker: undefined };
    }
    if (headline) {
      return {
        headline: { value: headline, source: 'markup' },
        kicker: kicker ? { value: kicker, source: 'markup' } : undefined,
      };
    }
  }
  const fallback = fallbackTitles.map((title) => cleanText(title)).find(Boolean);
  return { headline: fallback ? { value: stripSiteName(fallback), source: 'meta' } : undefined };
}

/** "Headline | Portal" → "Headline" (only a short trailing part is treated as the site name). */
function stripSiteName(title: string): string {
  const match = /^(.{10,}?)\s+[|–—-]\s+[^|–—-]{2,40}$/.exec(title);
  return match ? match[1]! : title;
}
