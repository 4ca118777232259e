import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../fixtures/server/serve-world.js';

export interface BenchmarkReport {
  /** Suite name, e.g. "extract"; also the section id in BENCHMARKS.md. */
  name: string;
  title: string;
  /** The exact command that reproduces the figures. */
  command: string;
  /** Figures as a table: each row an object with the same keys. */
  rows: Array<Record<string, string | number>>;
  /** What was measured on what, and what a reader must know to compare. */
  notes: string[];
}

/**
 * Writes the raw figures to bench/results/<name>.json and replaces the suite's section in
 * BENCHMARKS.md (between <!-- bench:name:start --> and <!-- bench:name:end -->), so the
 * document always shows the last run with the machine it ran on.
 */
export function writeBenchmarkReport(report: BenchmarkReport): void {
  const root = projectRoot();
  const measuredAt = new Date().toISOString();
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const resultsDir = path.join(root, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `${report.name}.json`), `${JSON.stringify({ ...report, measuredAt, machine }, null, 2)}\n`);

  const section = [
    `<!-- bench:${report.name}:start -->`,
    `### ${report.title}`,
    '',
    `Measured ${measuredAt.slice(0, 16).replace('T', ' ')} UTC on ${machine}. Reproduce: \`${report.command}\``,
    '',
    markdownTable(report.rows),
    '',
    ...report.notes.map((note) => `- ${note}`),
    `<!-- bench:${report.name}:end -->`,
  ].join('\n');

  const file = path.join(root, 'BENCHMARKS.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const pattern = new RegExp(`<!-- bench:${report.name}:start -->[\\s\\S]*?<!-- bench:${report.name}:end -->`);
  writeFileSync(file, pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`);
}

export function markdownTable(rows: Array<Record<string, string | number>>): string {
  if (rows.length === 0) return '(no rows)';
  const columns = Object.keys(rows[0]!);
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(columns), line(columns.map(() => '---')), ...rows.map((row) => line(columns.map((column) => row[column] ?? '')))].join('\n');
}
