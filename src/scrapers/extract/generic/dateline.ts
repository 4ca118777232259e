import type { Dateline } from '../../../pipeline/types.js';

/**
 * "Schwerin/Parchim (dpa/mv) - Text" → place, agency and the text after the dateline.
 * Place: one to four capitalised words joined by space, slash or hyphen.
 */
const DATELINE = /^\s*((?:[A-ZÄÖÜ][\p{L}.'’]*(?:[ /-](?:[A-ZÄÖÜa-zäöü][\p{L}.'’]*))*){1})\s*\(([^()]{2,40})\)\s*[-–—:]\s*/u;

export function parseDateline(leadText: string): { dateline: Dateline; rest: string } | undefined {
  const match = DATELINE.exec(leadText);
  if (!match) return undefined;
  const place = match[1]!.trim();
  const agency = match[2]!.trim();
  if (place.split(/\s+/).length > 5 || !/[A-Za-z]/.test(agency)) return undefined;
  return { dateline: { place, agency }, rest: leadText.slice(match[0].length) };
}
