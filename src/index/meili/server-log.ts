/** The server's log file (dataDir/meilisearch.log): rotation and the tail shown in errors. */
import fs from 'node:fs';

import { statOrUndefined } from './util.js';

const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

/** Move a log past LOG_ROTATE_BYTES to <log>.1 before the next start appends to it. */
export function rotateLog(logFile: string): void {
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
  let text: string;
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
