import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { WARCRecord, WARCSerializer } from 'warcio';
import { ChronikError } from '../errors.js';
import type { ArchiveRef, FetchResult } from '../pipeline/types.js';

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

  /** Archives one exchange; resolves to the response record's location and digest. */
  writeExchange(fetched: FetchResult): Promise<ArchiveRef> {
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

  async #writeExchange(fetched: FetchResult): Promise<ArchiveRef> {
    try {
      const file = await this.#currentFile();
      const request = await serialize(requestRecord(fetched));
      const response = responseRecord(fetched);
      const responseBytes = await serialize(response);
      const requestOffset = file.size;
      await file.handle.write(request, 0, request.length, requestOffset);
      const responseOffset = requestOffset + request.length;
      await file.handle.write(responseBytes, 0, responseBytes.length, responseOffset);
      file.size = responseOffset + responseBytes.length;
      return {
        warcFile: file.name,
        offset: responseOffset,
        length: responseBytes.length,
        recordId: response.warcHeaders.headers.get('WARC-Record-ID') ?? '',
        payloadDigest: response.warcHeaders.headers.get('WARC-Payload-Digest') ?? '',
      };
    } catch (error) {
      throw new ChronikError('ARCHIVE_FAILED', `cannot write to the archive in ${this.#options.dir}: ${(error as Error).message}`, {
        cause: error,
      });
    }
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

function requestRecord(fetched: FetchResult): WARCRecord {
  const url = new URL(fetched.finalUrl);
  return WARCRecord.create(
    {
      url: fetched.finalUrl,
      date: fetched.fetchedAt,
      type: 'request',
      warcVersion: 'WARC/1.1',
      statusline: `GET ${url.pathname}${url.search} HTTP/1.1`,
      httpHeaders: { host: url.host, ...fetched.requestHeaders },
    },
    [],
  );
}

function responseRecord(fetched: FetchResult): WARCRecord {
  return WARCRecord.create(
    {
      url: fetched.finalUrl,
      date: fetched.fetchedAt,
      type: 'response',
      warcVersion: 'WARC/1.1',
      statusline: `HTTP/1.1 ${fetched.status} ${fetched.statusText || 'OK'}`,
      httpHeaders: headersForStoredBody(fetched.headers, fetched.body.length),
    },
    [fetched.body],
  );
}

function resourceRecord(resource: { url: string; date: string; contentType: string; body: Uint8Array; refersTo?: ArchiveRef; note?: string }): WARCRecord {
  const warcHeaders: Record<string, string> = { 'Content-Type': resource.contentType };
  if (resource.refersTo?.recordId) warcHeaders['WARC-Refers-To'] = resource.refersTo.recordId;
  if (resource.note) warcHeaders['WARC-Chronik-Note'] = resource.note;
  return WARCRecord.create({ url: resource.url, date: resource.date, type: 'resource', warcVersion: 'WARC/1.1', warcHeaders }, [resource.body]);
}

/**
 * fetch() hands over bodies already de-chunked and decompressed. The stored headers must
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

async function serialize(record: WARCRecord): Promise<Uint8Array> {
  return WARCSerializer.serialize(record, { gzip: true, digest: { algo: 'sha-256', prefix: 'sha256:', base32: true } });
}
