import { load, type CheerioAPI } from 'cheerio';
import { isSpaceCode } from './generic/dom.js';

export type { CheerioAPI };

/**
 * Parses HTML with htmlparser2 rather than cheerio's default parse5: several times faster,
 * and the extractor needs no spec-exact tree repair.
 */
export function parseHtml(html: string): CheerioAPI {
  return load(html, { xml: { xmlMode: false, decodeEntities: true } });
}

/** Text with whitespace collapsed, as a reader sees it. */
export function cleanText(text: string | undefined): string {
  if (!text) return '';
  // Most text nodes of a page are indentation: trim() alone answers those without a regex.
  const trimmed = text.trim();
  if (trimmed === '') return '';
  return needsCollapse(trimmed) ? trimmed.replace(SPACE_RUNS, ' ').trim() : trimmed;
}

const SPACE_RUNS = /[\s\u00a0\u200b]+/g;

/** Anything cleanText must still change after trim(): a run of blanks, a blank other than ' ', a zero-width space. */
function needsCollapse(text: string): boolean {
  let previousBlank = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 32) {
      if (previousBlank) return true;
      previousBlank = true;
    } else if (code > 32 && code < 0xa0) previousBlank = false;
    else if (code === 0x200b || isSpaceCode(code)) return true;
    else previousBlank = false;
  }
  return false;
}
