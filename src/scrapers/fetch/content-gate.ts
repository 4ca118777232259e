/** What a response body is, for the crawler: only these are parsed; everything else is archived and skipped. */
export type BodyKind = 'html' | 'xml-listing' | 'other';

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;
const XML_TYPES = /^(application\/(rss\+xml|atom\+xml|rdf\+xml|xml)|text\/xml)\b/i;

/**
 * Pure: classifies a body by its Content-Type, checked against the bytes: a "text/html" body
 * with NUL bytes or a binary signature is not parsed as HTML. Without a Content-Type the
 * bytes decide.
 */
export function classifyBody(contentType: string | undefined, body: Uint8Array): BodyKind {
  const head = new TextDecoder('latin1').decode(body.subarray(0, 1024));
  if (looksBinary(body)) return 'other';
  const type = (contentType ?? '').trim();
  if (HTML_TYPES.test(type)) return 'html';
  if (XML_TYPES.test(type)) return /<(rss|feed|urlset|sitemapindex|rdf:RDF)\b/i.test(head) || /^\s*<\?xml/.test(head) ? 'xml-listing' : 'other';
  if (type) return 'other';
  if (/^\s*(<!doctype html|<html)/i.test(head)) return 'html';
  if (/^\s*<\?xml/.test(head) || /<(rss|feed|urlset|sitemapindex)\b/i.test(head)) return 'xml-listing';
  return 'other';
}

function looksBinary(body: Uint8Array): boolean {
  const sample = body.subarray(0, 1024);
  if (sample[0] === 0x1f && sample[1] === 0x8b) return true; // gzip
  if (sample[0] === 0x25 && sample[1] === 0x50 && sample[2] === 0x44 && sample[3] === 0x46) return true; // %PDF
  if (sample[0] === 0x89 && sample[1] === 0x50) return true; // PNG
  if (sample[0] === 0xff && sample[1] === 0xd8) return true; // JPEG
  if (sample[0] === 0x50 && sample[1] === 0x4b) return true; // ZIP
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 9 || (byte > 13 && byte < 32)) controls += 1;
  }
  return sample.length > 0 && controls / sample.length > 0.1;
}
