import { load, type CheerioAPI } from 'cheerio';

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
  return (text ?? '').replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}
