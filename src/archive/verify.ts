import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describeError } from '../errors.js';
import { iterateWarcFile, listWarcFiles } from './warc-reader.js';

export interface FileVerdict {
  warcFile: string;
  records: number;
  /** Records whose payload does not match its WARC-Payload-Digest. */
  badDigests: Array<{ offset: number; url: string }>;
  /** Set when the file could not be read to its end (truncated or corrupt). */
  error?: string | undefined;
}

/** Recomputes every payload digest in every file; a broken file is reported, never fatal. */
export async function verifyArchive(archiveDir: string): Promise<FileVerdict[]> {
  const verdicts: FileVerdict[] = [];
  for (const warcFile of await listWarcFiles(archiveDir)) {
    const verdict: FileVerdict = { warcFile, records: 0, badDigests: [] };
    try {
      let readUpTo = 0;
      for await (const record of iterateWarcFile(archiveDir, warcFile)) {
        verdict.records += 1;
        readUpTo = record.ref.offset + record.ref.length;
        if (record.payloadDigest && !digestMatches(record.payloadDigest, record.body)) {
          verdict.badDigests.push({ offset: record.ref.offset, url: record.url });
        }
      }
      // The parser ends quietly at a cut-off gzip member; bytes left over mean a damaged tail.
      const size = (await stat(path.join(archiveDir, warcFile))).size;
      if (readUpTo < size) verdict.error = `truncated or corrupt: ${size - readUpTo} bytes after offset ${readUpTo} hold no complete record`;
    } catch (error) {
      verdict.error = describeError(error);
    }
    verdicts.push(verdict);
  }
  return verdicts;
}

/** "sha256:BASE32" (padded or not), "sha1:BASE32" or hex forms, as WARC writers produce them. */
export function digestMatches(declared: string, payload: Uint8Array): boolean {
  const [label, value = ''] = declared.split(':', 2) as [string, string?];
  const algorithm = label.toLowerCase().replace('-', '');
  if (algorithm !== 'sha256' && algorithm !== 'sha1') return false;
  const digest = createHash(algorithm).update(payload).digest();
  const wanted = value.replace(/=+$/, '').toUpperCase();
  return base32(digest) === wanted || digest.toString('hex').toUpperCase() === wanted;
}

function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += alphabet[(value << (5 - bits)) & 31];
  return output;
}
