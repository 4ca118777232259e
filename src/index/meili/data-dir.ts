/**
 * The data directory we own: its file layout, the master key and server.json.
 *
 *   dataDir/lock         exclusive lock (holder's pid) around every start, attach and stop
 *   dataDir/server.json  the running server {pid, url, port, startedAt}
 *   dataDir/leases/<pid> one file per process using the server; the last one to leave stops it
 *   dataDir/master-key   generated once (mode 0600), reused on every start
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { ChronikError } from '../../errors.js';
import { errorText, removeFile } from './util.js';

export interface Layout {
  dir: string;
  db: string;
  dumps: string;
  snapshots: string;
  binDir: string;
  keyFile: string;
  serverFile: string;
  lockFile: string;
  takeoverFile: string;
  leasesDir: string;
  logFile: string;
}

export function layoutOf(dataDir: string): Layout {
  const dir = path.resolve(dataDir);
  return {
    dir,
    db: path.join(dir, 'db'),
    dumps: path.join(dir, 'dumps'),
    snapshots: path.join(dir, 'snapshots'),
    binDir: path.join(dir, 'bin'),
    keyFile: path.join(dir, 'master-key'),
    serverFile: path.join(dir, 'server.json'),
    lockFile: path.join(dir, 'lock'),
    takeoverFile: path.join(dir, 'lock.takeover'),
    leasesDir: path.join(dir, 'leases'),
    logFile: path.join(dir, 'meilisearch.log'),
  };
}

export function createDataDir(layout: Layout): void {
  try {
    fs.mkdirSync(layout.dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ChronikError('MEILI_START_FAILED', `Cannot create Meilisearch data directory ${layout.dir} (${errorText(error)})`, {
      cause: error,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// server.json

export interface ServerRecord {
  pid: number;
  url: string;
  port: number;
  startedAt: string;
}

export function readServerRecord(layout: Layout): ServerRecord | undefined {
  let value: Partial<ServerRecord>;
  try {
    value = JSON.parse(fs.readFileSync(layout.serverFile, 'utf8')) as Partial<ServerRecord>;
  } catch {
    return undefined; // missing or torn: treated like no server
  }
  if (
    typeof value.pid !== 'number' ||
    typeof value.url !== 'string' ||
    typeof value.port !== 'number' ||
    typeof value.startedAt !== 'string'
  ) {
    return undefined;
  }
  return { pid: value.pid, url: value.url, port: value.port, startedAt: value.startedAt };
}

export function writeServerRecord(layout: Layout, record: ServerRecord): void {
  writeFileAtomic(layout.serverFile, `${JSON.stringify(record, null, 2)}\n`, 0o600);
}

export function removeServerRecord(layout: Layout): void {
  removeFile(layout.serverFile);
}

/** Write via temp file + rename so readers never see a half-written file. */
function writeFileAtomic(file: string, content: string, mode: number): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temp, content, { mode });
    fs.renameSync(temp, file);
  } catch (error) {
    removeFile(temp);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Master key

export function loadOrCreateMasterKey(layout: Layout, log: (message: string) => void): string {
  const existing = readMasterKey(layout);
  if (existing !== undefined) return existing;
  if (fs.existsSync(layout.keyFile)) log(`Ignoring invalid ${layout.keyFile}; generating a new master key`);
  // 32 random bytes; Meilisearch requires at least 16 bytes in production.
  const key = randomBytes(32).toString('base64url');
  writeFileAtomic(layout.keyFile, `${key}\n`, 0o600);
  return key;
}

/** The stored master key; undefined when missing or too short to be one of ours. */
export function readMasterKey(layout: Layout): string | undefined {
  let key: string;
  try {
    key = fs.readFileSync(layout.keyFile, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ChronikError('MEILI_START_FAILED', `Cannot read ${layout.keyFile} (${errorText(error)})`, {
      cause: error,
    });
  }
  if (Buffer.byteLength(key) < 16) return undefined;
  try {
    fs.chmodSync(layout.keyFile, 0o600); // tighten a key file someone copied in with loose permissions
  } catch {
    // not ours to change; still usable
  }
  return key;
}
