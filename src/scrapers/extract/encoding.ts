/**
 * Bytes + response headers → text. Order of evidence: byte-order mark, HTTP header, <meta> charset,
 * then UTF-8 if the bytes are valid UTF-8, else windows-1252. A declared single-byte charset is
 * distrusted when the bytes are valid UTF-8 with multi-byte sequences: that page lies about its
 * encoding, and decoding it as declared would garble every umlaut.
 */
export interface DecodedText {
  text: string;
  encoding: string;
  /** Where the encoding came from. */
  evidence: 'bom' | 'http-header' | 'meta' | 'sniffed' | 'default';
}

const SINGLE_BYTE = new Set(['windows-1252', 'iso-8859-1', 'iso-8859-15', 'us-ascii', 'latin1', 'ascii']);

export function decodeHtml(bytes: Uint8Array, contentType: string | undefined): DecodedText {
  const bom = encodingFromBom(bytes);
  if (bom) return { text: decode(bytes.subarray(bom.length), bom.encoding), encoding: bom.encoding, evidence: 'bom' };

  const declared = charsetFromContentType(contentType);
  const fromHeader = declared && normaliseLabel(declared);
  const fromMeta = !fromHeader ? charsetFromMeta(bytes) : undefined;
  const label = fromHeader ?? fromMeta;
  if (label) {
    if (SINGLE_BYTE.has(label) && looksLikeUtf8(bytes)) {
      return { text: decode(bytes, 'utf-8'), encoding: 'utf-8', evidence: 'sniffed' };
    }
    return { text: decode(bytes, label), encoding: label, evidence: fromHeader ? 'http-header' : 'meta' };
  }
  if (looksLikeUtf8(bytes) || isValidUtf8(bytes)) return { text: decode(bytes, 'utf-8'), encoding: 'utf-8', evidence: 'default' };
  return { text: decode(bytes, 'windows-1252'), encoding: 'windows-1252', evidence: 'sniffed' };
}

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '');
  return match?.[1];
}

function encodingFromBom(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  return undefined;
}

/** The charset of the first <meta charset> or http-equiv Content-Type within the first 4 KiB. */
function charsetFromMeta(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('windows-1252').decode(bytes.subarray(0, 4096));
  const direct = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  return direct?.[1] ? normaliseLabel(direct[1]) : undefined;
}

/** A WHATWG encoding name for a label, or undefined when TextDecoder does not know it. */
function normaliseLabel(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim().toLowerCase()).encoding;
  } catch {
    return undefined;
  }
}

function decode(bytes: Uint8Array, encoding: string): string {
  return new TextDecoder(encoding).decode(bytes);
}

/** Valid UTF-8 containing at least one multi-byte sequence (pure ASCII proves nothing). */
function looksLikeUtf8(bytes: Uint8Array): boolean {
  return hasMultiByte(bytes) && isValidUtf8(bytes);
}

function hasMultiByte(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
