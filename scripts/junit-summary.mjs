// Prints "N passed, N failed[, N skipped]" from a JUnit XML report (vitest's junit reporter).
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'test-output/junit.xml';
let xml;
try {
  xml = readFileSync(file, 'utf8');
} catch {
  console.log('0 passed, 1 failed');
  console.error(`no test report at ${file}`);
  process.exit(1);
}
const root = /<testsuites\b([^>]*)>/.exec(xml)?.[1] ?? '';
const attribute = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
const total = attribute('tests');
const failed = attribute('failures') + attribute('errors');
const skipped = attribute('skipped');
const passed = total - failed - skipped;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (total === 0) process.exit(1);
