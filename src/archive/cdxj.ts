import { createReadStream } from 'node:fs';
import path from 'node:path';
import { CDXIndexer } from 'warcio';
import { listWarcFiles } from './warc-reader.js';

/**
 * CDXJ lines for the whole collection through warcio's indexer, sorted as replay tools
 * (pywb, ReplayWeb.page) expect them.
 */
export async function buildCdxj(archiveDir: string): Promise<string[]> {
  const indexer = new CDXIndexer({ format: 'cdxj' });
  const files = (await listWarcFiles(archiveDir)).map((filename) => ({
    filename,
    reader: createReadStream(path.join(archiveDir, filename)),
  }));
  const lines: string[] = [];
  for await (const entry of indexer.iterIndex(files)) lines.push(indexer.serialize(entry).trimEnd());
  return lines.sort();
}
