/**
 * Process inspection and control: liveness, owners (pid + start time), the --db-path of running
 * processes via /proc, and stopping the server's process group.
 */
import fs from 'node:fs';
import path from 'node:path';

import { sleep } from './util.js';

/** Grace period between SIGTERM and SIGKILL when stopping the server. */
export const STOP_GRACE_MS = 10_000;

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

// ---------------------------------------------------------------------------------------------
// Owners

/** Who holds a lock or lease: pid plus start time, so a recycled pid is not mistaken for it. */
export interface Owner {
  pid: number;
  startTime?: string | undefined;
}

export function ownOwner(): Owner {
  return { pid: process.pid, startTime: readProcStat(process.pid)?.startTime };
}

export function isOwnerAlive(owner: Owner): boolean {
  if (!isProcessAlive(owner.pid)) return false;
  if (owner.startTime === undefined) return true;
  const current = readProcStat(owner.pid)?.startTime;
  return current === undefined || current === owner.startTime;
}

/** An owner from a lock or lease file: JSON {pid, startTime}, or a bare pid. */
export function parseOwner(text: string): Owner | undefined {
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

// ---------------------------------------------------------------------------------------------
// Servers on a db

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

/**
 * Whether pid is alive and a Meilisearch on this db (not a recycled pid now running something
 * else); assumed to be one where /proc cannot tell.
 */
export function isServerOnDb(pid: number, db: string): boolean {
  if (!isProcessAlive(pid)) return false;
  const dbPath = dbPathOfProcess(pid);
  return dbPath === undefined || dbPath === db;
}

/** Live processes other than this one running with --db-path = db. Linux only. */
export function findServersOnDb(db: string): number[] {
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
    if (pid === process.pid) continue;
    if (dbPathOfProcess(pid) === db && isProcessAlive(pid)) found.push(pid);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Stopping

/** Signal the server's process group (we start it detached, as group leader), else just the pid. */
export function sendSignal(pid: number, signal: NodeJS.Signals): void {
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
export async function stopProcess(pid: number, log: (message: string) => void): Promise<boolean> {
  if (!isProcessAlive(pid)) return true;
  sendSignal(pid, 'SIGTERM');
  if (await waitForExit(pid, STOP_GRACE_MS)) return true;
  log(`Meilisearch (pid ${pid}) did not stop within ${STOP_GRACE_MS / 1000} s; killing it`);
  sendSignal(pid, 'SIGKILL');
  return waitForExit(pid, 5_000);
}
