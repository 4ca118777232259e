import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `npm run bench`: runs every compiled bench/*.bench.js in turn; each writes its own BENCHMARKS.md section. */
const here = path.dirname(fileURLToPath(import.meta.url));
const suites = readdirSync(here).filter((file) => file.endsWith('.bench.js')).sort();
if (suites.length === 0) console.log('No benchmark suites yet.');
let failed = 0;
for (const suite of suites) {
  console.log(`\n== ${suite} ==`);
  const result = spawnSync(process.execPath, [path.join(here, suite)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
