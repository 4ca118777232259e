/**
 * Near-duplicate detection for syndicated copies: word shingles, MinHash signatures and
 * LSH bands. Pure and deterministic, so the crawl and a reindex from the archive group
 * copies the same way.
 */
export const SHINGLE_WORDS = 4;
export const SIGNATURE_SIZE = 64;
export const BANDS = 16;
const ROWS_PER_BAND = SIGNATURE_SIZE / BANDS;

/**
 * Containment of the shorter text in the longer, estimated from Jaccard and the shingle
 * counts. A copy with a trimmed last paragraph is contained almost whole in the original,
 * even when the Jaccard of the two is modest.
 */
export const MIN_CONTAINMENT = 0.6;
/** Floor on Jaccard, so a short text is not "contained" in an unrelated long one by chance. */
export const MIN_JACCARD = 0.2;

export interface TextFingerprint {
  signature: Uint32Array;
  shingleCount: number;
}

/**
 * Words of the agency text: the dateline ("Schwerin (dpa/mv) -") and case are dropped, since
 * portals differ in exactly those.
 */
export function normalisedWords(body: string): string[] {
  const withoutDateline = body.replace(/^\s*[^()\n]{2,60}\([^()]{2,40}\)\s*[-–—:]\s*/u, '');
  return withoutDateline.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function fingerprint(body: string): TextFingerprint {
  const words = normalisedWords(body);
  const shingles = new Set<number>();
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) shingles.add(hashString(words.slice(i, i + SHINGLE_WORDS).join(' ')));
  if (shingles.size === 0 && words.length > 0) shingles.add(hashString(words.join(' ')));
  const signature = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  for (const shingle of shingles) {
    for (let i = 0; i < SIGNATURE_SIZE; i++) {
      const value = permute(shingle, i);
      if (value < signature[i]!) signature[i] = value;
    }
  }
  return { signature, shingleCount: shingles.size };
}

/** One key per band; two texts sharing any band key are candidates for comparison. */
export function bandKeys(signature: Uint32Array): string[] {
  const keys: string[] = [];
  for (let band = 0; band < BANDS; band++) {
    const rows = signature.subarray(band * ROWS_PER_BAND, (band + 1) * ROWS_PER_BAND);
    keys.push(`${band}:${[...rows].map((row) => row.toString(36)).join('.')}`);
  }
  return keys;
}

export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let equal = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a[i] === b[i]) equal += 1;
  return equal / SIGNATURE_SIZE;
}

/** The documented rule for "same agency text". */
export function isSameStory(a: TextFingerprint, b: TextFingerprint): boolean {
  if (a.shingleCount === 0 || b.shingleCount === 0) return false;
  const jaccard = estimatedJaccard(a.signature, b.signature);
  if (jaccard < MIN_JACCARD) return false;
  // |A∩B| = J(|A|+|B|)/(1+J); containment divides it by the smaller set.
  const intersection = (jaccard * (a.shingleCount + b.shingleCount)) / (1 + jaccard);
  return intersection / Math.min(a.shingleCount, b.shingleCount) >= MIN_CONTAINMENT;
}

/** 32-bit FNV-1a over UTF-16 code units. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The i-th hash function: a seeded integer mix (murmur3 finaliser) of the shingle hash. */
function permute(value: number, seed: number): number {
  let h = (value ^ Math.imul(seed + 1, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
