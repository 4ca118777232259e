import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toSegments } from '../../src/search/run-timeline.js';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../src/search/to-search-params.js';

/** The first implementation, a regular expression: the scanning one must split every text the same way. */
function reference(formatted: string): Array<{ text: string; match: boolean }> {
  const segments: Array<{ text: string; match: boolean }> = [];
  let last = 0;
  for (const match of formatted.matchAll(new RegExp(`${HIGHLIGHT_START}([^${HIGHLIGHT_END}]*)${HIGHLIGHT_END}`, 'g'))) {
    if (match.index > last) segments.push({ text: formatted.slice(last, match.index), match: false });
    segments.push({ text: match[1]!, match: true });
    last = match.index + match[0].length;
  }
  if (last < formatted.length) segments.push({ text: formatted.slice(last), match: false });
  return segments;
}

describe('toSegments', () => {
  it('splits highlighted text into plain and matched pieces', () => {
    expect(toSegments(`Nach dem ${HIGHLIGHT_START}Cyberangriff${HIGHLIGHT_END} in ${HIGHLIGHT_START}Schwerin${HIGHLIGHT_END}`)).toEqual([
      { text: 'Nach dem ', match: false },
      { text: 'Cyberangriff', match: true },
      { text: ' in ', match: false },
      { text: 'Schwerin', match: true },
    ]);
    expect(toSegments('')).toEqual([]);
  });

  it('agrees with the regular expression on any mix of text and markers, unbalanced ones included', () => {
    const piece = fc.oneof(fc.constant(HIGHLIGHT_START), fc.constant(HIGHLIGHT_END), fc.string({ maxLength: 6 }));
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      const text = pieces.join('');
      expect(toSegments(text)).toEqual(reference(text));
    }), { numRuns: 2000 });
  });
});
