import { open } from 'node:fs/promises';
import path from 'node:path';
import { WARCParser } from 'warcio';
import type { ArchiveRef } from '../pipeline/types.js';

export interface ArchivedResponse {
  url: string;
  date: string;
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  payloadDigest: string;
}

/** Reads the response record an ArchiveRef points at (one gzip member at that offset). */
export async function readArchivedResponse(archiveDir: string, ref: Pick<ArchiveRef, 'warcFile' | 'offset' | 'length'>): Promise<ArchivedResponse> {
  const handle = await open(path.join(archiveDir, path.basename(ref.warcFile)), 'r');
  try {
    const bytes = new Uint8Array(ref.length);
    await handle.read(bytes, 0, ref.length, ref.offset);
    const record = await WARCParser.parse([bytes]);
    if (!record) throw new Error(`no WARC record at ${ref.warcFile}:${ref.offset}`);
    const body = await record.readFully(false);
    const headers: Record<string, string> = {};
    for (const [name, value] of record.httpHeaders?.headers ?? []) headers[name.toLowerCase()] = value;
    return {
      url: record.warcTargetURI ?? '',
      date: record.warcDate ?? '',
      status: Number(record.httpHeaders?.statusCode ?? 0),
      headers,
      body,
      payloadDigest: record.warcPayloadDigest ?? '',
    };
  } finally {
    await handle.close();
  }
}
