import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ChronikError } from '../../errors.js';
import type { ArticleRecord } from '../../pipeline/types.js';
import { decodeHtml } from '../../scrapers/extract/encoding.js';
import { extractArticle, extractRecord, type ExtractInput } from '../../scrapers/extract/extract-article.js';
import { profilesWith } from '../../scrapers/extract/profiles/registry.js';
import { fetchUrl } from '../../scrapers/fetch/http-fetch.js';
import { EXIT, type ExitStatus } from '../exit-codes.js';
import type { CliIo } from '../io.js';

export interface ExtractFlags {
  url?: string;
  json?: boolean;
  /** A folder of own site profiles, tried before the shipped ones. */
  profiles?: string;
}

/**
 * `chronik extract FILE_OR_URL [--url URL] [--json] [--profiles DIR]`: runs the extractor on one saved page or one
 * fetched URL and prints what it found, for debugging a new site. --url names the page's address
 * when reading a file (links, canonical URL and site are resolved against it).
 */
export async function runExtract(target: string, flags: ExtractFlags, io: CliIo): Promise<ExitStatus> {
  const input = await readInput(target, flags, io);
  const decoded = decodeHtml(input.body, input.headers['content-type']);
  const profilesDir = flags.profiles === undefined ? undefined : path.resolve(io.cwd, flags.profiles);
  const outcome = extractArticle({ ...input, profiles: profilesWith(profilesDir) });
  const record = outcome.kind === 'article' ? outcome.record : extractRecord({ ...input, profiles: profilesWith(profilesDir) });
  const verdict = outcome.kind === 'article' ? 'article' : `not an article: ${outcome.reason}`;
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ verdict, encoding: { name: decoded.encoding, evidence: decoded.evidence }, record: record ?? null }, null, 2)}\n`);
  } else {
    io.stdout.write(formatRecord(record, verdict, `${decoded.encoding} (${decoded.evidence})`));
  }
  return record ? EXIT.ok : EXIT.failed;
}

async function readInput(target: string, flags: ExtractFlags, io: CliIo): Promise<ExtractInput> {
  if (/^https?:\/\//i.test(target)) {
    const host = new URL(target).hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const result = await fetchUrl(target, {
      userAgent: 'Chronik/0.1 (+extract)',
      timeoutMs: 20_000,
      maxBodyBytes: 10 * 2 ** 20,
      policy: { allowHosts: new Set([host]), allowPrivateAddresses: host === 'localhost' || host === '127.0.0.1' || host === '::1' },
    });
    if (result.status >= 400) throw new ChronikError('HTTP_STATUS', `extract: ${target} answered ${result.status} ${result.statusText}`);
    return { body: result.body, url: flags.url ?? result.finalUrl, headers: result.headers, fetchedAt: result.fetchedAt };
  }
  const file = path.resolve(io.cwd, target);
  let body: Uint8Array;
  try {
    body = await readFile(file);
  } catch (error) {
    throw new ChronikError('USAGE', `extract: cannot read ${target} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  if (flags.url !== undefined && !/^https?:\/\/[^/]/i.test(flags.url)) throw new ChronikError('USAGE', `extract: --url must be an http(s) URL, got ${flags.url}`);
  return { body, url: flags.url ?? `file://${file}`.replace(/^file:\/\//, 'http://localhost/'), headers: {}, fetchedAt: new Date().toISOString() };
}

/** A readable summary: one labelled line per field, the body paragraphs after. */
export function formatRecord(record: ArticleRecord | undefined, verdict: string, encoding: string): string {
  if (!record) return `Verdict:    ${verdict}\nEncoding:   ${encoding}\n`;
  const line = (label: string, value: string | undefined) => (value ? `${`${label}:`.padEnd(12)}${value}\n` : '');
  let out = '';
  out += line('Verdict', verdict);
  out += line('URL', record.url);
  out += line('Canonical', record.canonicalUrl);
  out += line('Site', record.site);
  out += line('Encoding', encoding);
  out += line('Profile', record.profile);
  out += line('Kicker', record.kicker && `${record.kicker.value}  [${record.kicker.source}]`);
  out += line('Headline', `${record.headline.value}  [${record.headline.source}]`);
  out += line('Published', record.published && `${record.published.value}  [${record.published.source}]`);
  out += line('Modified', record.modified && `${record.modified.value}  [${record.modified.source}]`);
  out += line('Authors', record.authors?.join('; '));
  out += line('Dateline', record.dateline && `${record.dateline.place} (${record.dateline.agency})`);
  out += line('Copyright', record.copyright);
  out += line('Language', record.language);
  out += line('Tags', record.tags?.join(', '));
  for (const image of record.images) out += line('Image', [image.src, image.caption, image.credit].filter(Boolean).join(' | '));
  for (const link of record.relatedLinks) out += line('Related', [link.sectionLabel, link.category, link.title, link.url].filter(Boolean).join(' | '));
  out += line('Lead', record.lead);
  out += `Body (${record.paragraphs.length} paragraphs):\n`;
  record.paragraphs.forEach((paragraph, index) => {
    out += record.subheads?.includes(index) ? `\n## ${paragraph}\n\n` : `${paragraph}\n\n`;
  });
  return out;
}
