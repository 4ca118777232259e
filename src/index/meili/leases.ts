/**
 * Leases: one file per process using the server (dataDir/leases/<pid>). The server runs while
 * any live process holds one; the last one to leave stops it.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Layout } from './data-dir.js';
import { isOwnerAlive, ownOwner, parseOwner, type Owner } from './processes.js';
import { readTextOrUndefined, removeFile } from './util.js';

/** Connections of this process per data directory: the lease file lives while any is open. */
const leaseCounts = new Map<string, number>();

function ownLeaseFile(layout: Layout): string {
  return path.join(layout.leasesDir, String(process.pid));
}

export function addLease(layout: Layout): void {
  fs.mkdirSync(layout.leasesDir, { recursive: true, mode: 0o700 });
  // Rewritten on every connect, so a lease file deleted by hand comes back.
  fs.writeFileSync(ownLeaseFile(layout), JSON.stringify(ownOwner()), { mode: 0o600 });
  leaseCounts.set(layout.dir, (leaseCounts.get(layout.dir) ?? 0) + 1);
}

/** Drop one connection; remove the lease file when it was the process's last (or `all`). */
export function dropLease(layout: Layout, all = false): void {
  const remaining = all ? 0 : (leaseCounts.get(layout.dir) ?? 1) - 1;
  if (remaining > 0) {
    leaseCounts.set(layout.dir, remaining);
    return;
  }
  leaseCounts.delete(layout.dir);
  removeFile(ownLeaseFile(layout));
}

/** Pids holding a live lease; leases of dead processes are deleted on the way. */
export function liveLeaseHolders(layout: Layout): number[] {
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
    const content = readTextOrUndefined(file);
    if (content === undefined) continue;
    // The file name is the pid; the content adds the start time when it agrees.
    let owner: Owner = { pid: Number(name) };
    const parsed = parseOwner(content);
    if (parsed !== undefined && parsed.pid === owner.pid) owner = parsed;
    if (isOwnerAlive(owner)) live.push(owner.pid);
    else removeFile(file);
  }
  return live;
}
