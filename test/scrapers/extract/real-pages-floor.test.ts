import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRealPagesDir, evaluateDir, findProjectRoot, formatFigures, headlineFigures } from '../../../bench/eval-extraction.js';

/**
 * Runs the eval:real scoring over ../shared/realpages and fails when a figure falls below its
 * pinned floor in bench/floors.json. The folder is evaluation material outside the project; where
 * it is absent the test is skipped and says why.
 */
const dir = defaultRealPagesDir();
const available = existsSync(path.join(dir, 'manifest.json'));
const floors = JSON.parse(readFileSync(path.join(findProjectRoot(), 'bench', 'floors.json'), 'utf8')) as Record<string, number | string>;

describe.skipIf(!available)(`extraction on the real pages in ${dir}`, () => {
  it('stays at or above every floor in bench/floors.json', () => {
    const { figures } = evaluateDir(dir);
    const current = headlineFigures(figures);
    for (const [name, floor] of Object.entries(floors)) {
      if (typeof floor !== 'number') continue;
      expect(current[name], `${name} (${formatFigures(figures).join(' / ')})`).toBeGreaterThanOrEqual(floor);
    }
  }, 120_000);
});

if (!available) {
  describe('extraction on the real pages', () => {
    it.skip(`skipped: no real pages at ${dir} (the floor check needs ../shared/realpages beside the project)`, () => undefined);
  });
}
