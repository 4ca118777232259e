import { berlinWallClockToIso } from '../dates/berlin-time.js';
import type { ParsedDate } from '../dates/parse-date.js';

const MONTHS: Record<string, number> = {
  januar: 1, jänner: 1, februar: 2, märz: 3, april: 4, mai: 5, juni: 6, juli: 7, august: 8, september: 9, oktober: 10,
  november: 11, dezember: 12, january: 1, february: 2, march: 3, may: 5, june: 6, july: 7, october: 10, december: 12,
};

const TOKENS: Array<[string, string, string]> = [
  ['yyyy', '(\\d{4})', 'year'], ['yy', '(\\d{2})', 'year2'], ['MMMM', '([A-Za-zÄÖÜäöü]+)', 'monthName'],
  ['MM', '(\\d{2})', 'month'], ['M', '(\\d{1,2})', 'month'], ['dd', '(\\d{2})', 'day'], ['d', '(\\d{1,2})', 'day'],
  ['HH', '(\\d{2})', 'hour'], ['H', '(\\d{1,2})', 'hour'], ['mm', '(\\d{2})', 'minute'],
];

/** A profile's date format ("dd.MM.yyyy, HH:mm 'Uhr'") → a parser of text in that format (Berlin time). */
export function compileDateFormat(format: string): (text: string) => ParsedDate | undefined {
  const groups: string[] = [];
  let pattern = '';
  for (let i = 0; i < format.length; ) {
    if (format[i] === "'") {
      const end = format.indexOf("'", i + 1);
      const literal = format.slice(i + 1, end < 0 ? undefined : end);
      pattern += escape(literal);
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    const token = TOKENS.find(([name]) => format.startsWith(name, i));
    if (token) {
      pattern += token[1];
      groups.push(token[2]);
      i += token[0].length;
    } else {
      pattern += format[i] === ' ' ? '\\s+' : escape(format[i]!);
      i += 1;
    }
  }
  const regex = new RegExp(pattern, 'i');
  return (text) => {
    const match = regex.exec(text.replace(/\s+/g, ' '));
    if (!match) return undefined;
    const parts: Record<string, number> = {};
    groups.forEach((group, index) => {
      const value = match[index + 1]!;
      if (group === 'monthName') parts.month = MONTHS[value.toLowerCase()] ?? NaN;
      else if (group === 'year2') parts.year = 2000 + Number(value);
      else parts[group] = Number(value);
    });
    const { year, month, day, hour, minute } = parts;
    if (!year || !month || !day || month > 12 || day > 31) return undefined;
    const pad = (value: number) => String(value).padStart(2, '0');
    if (hour === undefined) return { iso: `${year}-${pad(month)}-${pad(day)}`, hasTime: false };
    if (hour > 23 || (minute ?? 0) > 59) return undefined;
    return { iso: berlinWallClockToIso({ year, month, day, hour, minute: minute ?? 0 }), hasTime: true };
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
