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

/**
 * One-permutation MinHash: each shingle is hashed once and lands in one of SIGNATURE_SIZE bins;
 * a bin keeps its smallest hash. That is one hash per shingle instead of one per shingle and
 * bin (64× less work at indexing time) with the same Jaccard estimate. Empty bins (short texts)
 * borrow from the next filled bin, so two texts agree on them exactly when they agree there.
 */
export function fingerprint(body: string): TextFingerprint {
  const words = normalisedWords(body);
  const shingles = new Set<number>();
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) {
    shingles.add(hashString(`${words[i]} ${words[i + 1]} ${words[i + 2]} ${words[i + 3]}`));
  }
  if (shingles.size === 0 && words.length > 0) shingles.add(hashString(words.join(' ')));
  const signature = new Uint32Array(SIGNATURE_SIZE).fill(EMPTY_BIN);
  for (const shingle of shingles) {
    const mixed = mix(shingle);
    const bin = mixed % SIGNATURE_SIZE;
    const value = mix(mixed ^ 0x5bd1e995) & 0x7fffffff; // top bit marks borrowed values
    if (value < signature[bin]!) signature[bin] = value;
  }
  densify(signature);
  return { signature, shingleCount: shingles.size };
}

const EMPTY_BIN = 0xffffffff;

/** Rotation densification: an empty bin takes the value of the next filled bin (cyclically), offset by the distance. */
function densify(signature: Uint32Array): void {
  if (signature.every((value) => value === EMPTY_BIN)) return;
  for (let bin = 0; bin < SIGNATURE_SIZE; bin++) {
    if (signature[bin] !== EMPTY_BIN) continue;
    for (let step = 1; step < SIGNATURE_SIZE; step++) {
      const source = signature[(bin + step) % SIGNATURE_SIZE]!;
      if (source !== EMPTY_BIN && !isBorrowed(signature, (bin + step) % SIGNATURE_SIZE)) {
        signature[bin] = (mix(source + step) & 0x7fffffff) | 0x80000000;
        break;
      }
    }
  }
}

/** Borrowed values have the top bit set; own values are kept below it (see `fingerprint`). */
function isBorrowed(signature: Uint32Array, bin: number): boolean {
  return (signature[bin]! & 0x80000000) !== 0 && signature[bin] !== EMPTY_BIN;
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

/** murmur3's finaliser: spreads the bits of a 32-bit hash. */
function mix(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
