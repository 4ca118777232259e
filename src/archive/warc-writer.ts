import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { WARCRecord, WARCSerializer } from 'warcio';
import { ChronikError } from '../errors.js';
import type { ArchiveRef, FetchResult } from '../pipeline/types.js';
import type { RedirectHop } from '../scrapers/fetch/http-fetch.js';

/**
 * zlib level 1: on news pages two to three times as fast as the default 6 (≈0.12 ms for 50 KB),
 * archives about 15 % larger, still one standard gzip member per record. Synchronous on purpose:
 * zlib's async stream path cost several times more main-thread time per record than the work.
 */
const GZIP_LEVEL = 1;

/** A custom WARC field (WARC 1.1 §5 allows them): the response record of the previous redirect hop. */
export const REDIRECTED_FROM_HEADER = 'WARC-Chronik-Redirected-From';

/** An exchange as archived: the final response, after the redirect hops that led to it (if any). */
export type ArchivedExchange = FetchResult & { hops?: readonly RedirectHop[] | undefined };

export interface WarcWriterOptions {
  dir: string;
  maxFileBytes: number;
  /** Prefix of file names, e.g. "chronik". */
  prefix?: string;
  software?: string;
}

/**
 * Appends request/response pairs to gzip-per-record WARC files (ISO 28500, WARC/1.1) and
 * rotates to a new file past `maxFileBytes`. Writes are serialised, so offsets stay exact
 * with concurrent fetches. A file is only ever appended to; a killed run leaves every
 * completed record readable.
 */
export class WarcWriter {
  readonly #options: Required<WarcWriterOptions>;
  #file: { name: string; handle: FileHandle; size: number } | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #sequence = 0;

  constructor(options: WarcWriterOptions) {
    this.#options = { prefix: 'chronik', software: 'Chronik', ...options };
  }

  /**
   * Archives one exchange; resolves to the final response record's location and digest. Each
   * redirect hop is evidence too: it is written first as its own request/response pair, and every
   * response after a redirect names the previous hop's response in WARC-Chronik-Redirected-From.
   */
  writeExchange(fetched: ArchivedExchange): Promise<ArchiveRef> {
    const next = this.#tail.then(() => this.#writeExchange(fetched));
    this.#tail = next.catch(() => undefined);
    return next;
  }

  /**
   * Archives something Chronik derived from a response, e.g. the DOM Chromium rendered, as a
   * `resource` record for the same URL that refers to the original response record.
   */
  writeResource(resource: { url: string; date: string; contentType: string; body: Uint8Array; refersTo?: ArchiveRef; note?: string }): Promise<ArchiveRef> {
    const next = this.#tail.then(() => this.#writeRecord(resourceRecord(resource)));
    this.#tail = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.#tail;
    await this.#file?.handle.close();
    this.#file = undefined;
  }

  async #writeExchange(fetched: ArchivedExchange): Promise<ArchiveRef> {
    try {
      let redirectedFrom: string | undefined;
      for (const hop of fetched.hops ?? []) {
        const hopExchange: FetchResult = {
          requestedUrl: hop.url, finalUrl: hop.url, redirects: [], status: hop.status, statusText: hop.statusText,
          headers: hop.headers, requestHeaders: hop.requestHeaders, body: hop.body, fetchedAt: hop.fetchedAt, notModified: false,
        };
        redirectedFrom = (await this.#writePair(hopExchange, redirectedFrom)).recordId;
      }
      return await this.#writePair(fetched, redirectedFrom);
    } catch (error) {
      throw new ChronikError('ARCHIVE_FAILED', `cannot write to the archive in ${this.#options.dir}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** One request/response pair; the request names its response in WARC-Concurrent-To. */
  async #writePair(fetched: FetchResult, redirectedFrom: string | undefined): Promise<ArchiveRef> {
    const response = responseRecord(fetched, redirectedFrom);
    const responseId = response.warcHeaders.headers.get('WARC-Record-ID') ?? '';
    const [request, responseBytes] = await Promise.all([serialize(requestRecord(fetched, responseId)), serialize(response)]);
    const file = await this.#currentFile();
    const requestOffset = file.size;
    const responseOffset = requestOffset + request.length;
    // One synchronous write for the pair: the promise-based write cost the crawl's main thread
    // more than the system call itself (a page-cache write of some kB).
    const pair = Buffer.concat([request, responseBytes]);
    writeFully(file.handle.fd, pair, requestOffset);
    file.size = responseOffset + responseBytes.length;
    return {
      warcFile: file.name,
      offset: responseOffset,
      length: responseBytes.length,
      recordId: responseId,
      payloadDigest: response.warcHeaders.headers.get('WARC-Payload-Digest') ?? '',
    };
  }

  async #writeRecord(record: WARCRecord): Promise<ArchiveRef> {
    try {
      const file = await this.#currentFile();
      const bytes = await serialize(record);
      const offset = file.size;
      await file.handle.write(bytes, 0, bytes.length, offset);
      file.size = offset + bytes.length;
      return {
        warcFile: file.name,
        offset,
        length: bytes.length,
        recordId: record.warcHeaders.headers.get('WARC-Record-ID') ?? '',
        payloadDigest: record.warcHeaders.headers.get('WARC-Payload-Digest') ?? record.warcHeaders.headers.get('WARC-Block-Digest') ?? '',
      };
    } catch (error) {
      throw new ChronikError('ARCHIVE_FAILED', `cannot write to the archive in ${this.#options.dir}: ${(error as Error).message}`, { cause: error });
    }
  }

  async #currentFile(): Promise<{ name: string; handle: FileHandle; size: number }> {
    if (this.#file && this.#file.size < this.#options.maxFileBytes) return this.#file;
    await this.#file?.handle.close();
    await mkdir(this.#options.dir, { recursive: true });
    const name = await this.#freshName();
    // 'wx': never append to, or overwrite, a file another process is writing.
    const handle = await open(path.join(this.#options.dir, name), 'wx');
    const info = await serialize(
      WARCRecord.createWARCInfo(
        { filename: name, warcVersion: 'WARC/1.1' },
        { software: this.#options.software, format: 'WARC File Format 1.1', 'json-metadata': '{}' },
      ),
    );
    await handle.write(info, 0, info.length, 0);
    this.#file = { name, handle, size: info.length };
    return this.#file;
  }

  async #freshName(): Promise<string> {
    const existing = new Set(await readdir(this.#options.dir));
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    for (;;) {
      this.#sequence += 1;
      const name = `${this.#options.prefix}-${stamp}-${process.pid}-${String(this.#sequence).padStart(5, '0')}.warc.gz`;
      if (!existing.has(name)) return name;
    }
  }
}

function requestRecord(fetched: FetchResult, responseId: string): WARCRecord {
  const url = new URL(fetched.finalUrl);
  return withDigests(
    WARCRecord.create(
      {
        url: fetched.finalUrl,
        date: fetched.fetchedAt,
        type: 'request',
        warcVersion: 'WARC/1.1',
        statusline: `GET ${url.pathname}${url.search} HTTP/1.1`,
        httpHeaders: { host: url.host, ...fetched.requestHeaders },
        warcHeaders: responseId ? { 'WARC-Concurrent-To': responseId } : {},
      },
      [],
    ),
    new Uint8Array(),
  );
}

function responseRecord(fetched: FetchResult, redirectedFrom: string | undefined): WARCRecord {
  return withDigests(
    WARCRecord.create(
      {
        url: fetched.finalUrl,
        date: fetched.fetchedAt,
        type: 'response',
        warcVersion: 'WARC/1.1',
        statusline: `HTTP/1.1 ${fetched.status} ${fetched.statusText || defaultReason(fetched.status)}`,
        httpHeaders: headersForStoredBody(fetched.headers, fetched.body.length),
        warcHeaders: redirectedFrom ? { [REDIRECTED_FROM_HEADER]: redirectedFrom } : {},
      },
      [fetched.body],
    ),
    fetched.body,
  );
}

/** writeSync may write less than asked (a full disk, a signal); what it wrote stays, the rest follows. */
function writeFully(fd: number, bytes: Uint8Array, position: number): void {
  for (let written = 0; written < bytes.length; ) {
    written += writeSync(fd, bytes, written, bytes.length - written, position + written);
  }
}

/** Hops may come without a reason phrase (HTTP/2); the status line still needs one. */
function defaultReason(status: number): string {
  return status >= 300 && status < 400 ? 'Redirect' : 'OK';
}

function resourceRecord(resource: { url: string; date: string; contentType: string; body: Uint8Array; refersTo?: ArchiveRef; note?: string }): WARCRecord {
  const warcHeaders: Record<string, string> = { 'Content-Type': resource.contentType };
  if (resource.refersTo?.recordId) warcHeaders['WARC-Refers-To'] = resource.refersTo.recordId;
  if (resource.note) warcHeaders['WARC-Chronik-Note'] = resource.note;
  return withDigests(WARCRecord.create({ url: resource.url, date: resource.date, type: 'resource', warcVersion: 'WARC/1.1', warcHeaders }, [resource.body]), resource.body);
}

/**
 * fetchUrl hands over bodies already de-chunked and decompressed. The stored headers must
 * describe the stored bytes, so transfer and content encodings are kept under a renamed
 * header (as other archiving crawlers do) and Content-Length is the stored length.
 */
export function headersForStoredBody(headers: Record<string, string>, bodyLength: number): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'content-encoding' || name === 'transfer-encoding') stored[`x-archive-orig-${name}`] = value;
    else if (name !== 'content-length') stored[name] = value;
  }
  stored['content-length'] = String(bodyLength);
  return stored;
}

/**
 * Block and payload digests (sha256, base32 as warcio writes them) computed with node:crypto:
 * warcio skips its own WebAssembly hashing when the headers are already set, which was a tenth
 * of a crawl's CPU.
 */
function withDigests(record: WARCRecord, payload: Uint8Array): WARCRecord {
  const headers = record.warcHeaders.headers;
  const block = createHash('sha256');
  if (record.httpHeaders) block.update(record.httpHeaders.toString() + '\r\n');
  block.update(payload);
  headers.set('WARC-Payload-Digest', `sha256:${base32(createHash('sha256').update(payload).digest())}`);
  headers.set('WARC-Block-Digest', `sha256:${base32(block.digest())}`);
  return record;
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 with padding, the form WARC digests use. */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return output.padEnd(Math.ceil(output.length / 8) * 8, '=');
}

/** One record as one gzip member, so any record can be read from its offset alone. */
async function serialize(record: WARCRecord): Promise<Uint8Array> {
  const plain = await WARCSerializer.serialize(record, { gzip: false, digest: { algo: 'sha-256', prefix: 'sha256:', base32: true } });
  return gzipSync(plain, { level: GZIP_LEVEL });
}
