import { createReadStream } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { WARCParser } from 'warcio';
import type { ArchiveRef } from '../pipeline/types.js';
import { REDIRECTED_FROM_HEADER } from './warc-writer.js';

export interface ArchivedResponse {
  url: string;
  /** WARC-Date: when the response was received. */
  date: string;
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  payloadDigest: string;
}

export interface ArchivedRecord extends ArchivedResponse {
  type: string;
  /** The record's own Content-Type (for resource records, the type of what it holds). */
  warcContentType: string;
  ref: ArchiveRef;
  /** WARC-Concurrent-To: for a request record, the response record it belongs to. */
  concurrentTo?: string | undefined;
  /** For a response reached by a redirect: the record ID of the previous hop's (3xx) response. */
  redirectedFrom?: string | undefined;
}

/** Reads the response record an ArchiveRef points at (one gzip member at that offset). */
export async function readArchivedResponse(archiveDir: string, ref: Pick<ArchiveRef, 'warcFile' | 'offset' | 'length'>): Promise<ArchivedResponse> {
  const handle = await open(path.join(archiveDir, path.basename(ref.warcFile)), 'r');
  try {
    const bytes = new Uint8Array(ref.length);
    const { bytesRead } = await handle.read(bytes, 0, ref.length, ref.offset);
    const record = await WARCParser.parse([bytes.subarray(0, bytesRead)]);
    if (!record) throw new Error(`no WARC record at ${ref.warcFile}:${ref.offset}`);
    return { ...(await toArchivedResponse(record)) };
  } finally {
    await handle.close();
  }
}

/** The WARC files of an archive folder in the order they were written (names start with a timestamp). */
export async function listWarcFiles(archiveDir: string): Promise<string[]> {
  const names = await readdir(archiveDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return names.filter((name) => /\.warc(\.gz)?$/.test(name)).sort();
}

/**
 * Every record of one WARC file with its location. Parse errors (truncated or corrupt files)
 * are thrown after the records before them were yielded.
 */
export async function* iterateWarcFile(archiveDir: string, warcFile: string): AsyncGenerator<ArchivedRecord> {
  const parser = new WARCParser(createReadStream(path.join(archiveDir, warcFile)));
  for await (const record of parser) {
    const response = await toArchivedResponse(record);
    // offset/recordLength describe the record just consumed.
    yield {
      ...response,
      type: record.warcType ?? '',
      warcContentType: record.warcContentType ?? '',
      concurrentTo: record.warcConcurrentTo?.[0],
      redirectedFrom: record.warcHeader(REDIRECTED_FROM_HEADER) ?? undefined,
      ref: {
        warcFile,
        offset: parser.offset,
        length: parser.recordLength,
        recordId: record.warcHeader('WARC-Record-ID') ?? '',
        payloadDigest: response.payloadDigest,
      },
    };
  }
}

/**
 * The redirect chain that ended in `finalRecordId`, first hop first: each response record after a
 * redirect names the previous hop's response, so the chain is followed backwards.
 */
export function redirectChain(records: readonly ArchivedRecord[], finalRecordId: string): ArchivedRecord[] {
  const byId = new Map(records.filter((record) => record.type === 'response').map((record) => [record.ref.recordId, record]));
  const chain: ArchivedRecord[] = [];
  for (let current = byId.get(finalRecordId); current && !chain.includes(current); current = current.redirectedFrom ? byId.get(current.redirectedFrom) : undefined) {
    chain.unshift(current);
  }
  return chain;
}

type ParsedRecord = NonNullable<Awaited<ReturnType<typeof WARCParser.parse>>>;

async function toArchivedResponse(record: ParsedRecord): Promise<ArchivedResponse> {
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
}
