import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CliIo } from '../../src/cli/io.js';

export interface CapturedIo extends CliIo {
  out: () => string;
  err: () => string;
}

/** An in-memory CliIo; `serve` stops when `stop()` is called. */
export function captureIo(env: NodeJS.ProcessEnv, cwd: string): CapturedIo & { stop: () => void } {
  let out = '';
  let err = '';
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env,
    cwd,
    isTTY: false,
    untilStopped: () => stopped,
    out: () => out,
    err: () => err,
    stop: () => stop(),
  };
}

/** Writes a config for the given seeds into a fresh folder; returns that folder. */
export async function writeConfig(seeds: string[], extra = ''): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chronik-cli-'));
  const yaml = [
    'sources:',
    ...seeds.map((url) => `  - url: ${url}`),
    'topic:',
    '  name: Test',
    '  anyOfEach:',
    '    - [KSM, SIS, Schwerin, Ludwigslust-Parchim]',
    '    - [Cyberangriff, Hackerangriff, Schadsoftware]',
    'crawl:',
    '  allowPrivateAddresses: true',
    '  minDelayMs: 0',
    '  timeoutMs: 3000',
    extra,
  ].join('\n');
  await writeFile(path.join(dir, 'chronik.yaml'), yaml);
  return dir;
}
