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
  return withoutDateline(body).toLowerCase().match(WORD) ?? [];
}

const DATELINE = /^\s*[^()\n]{2,60}\([^()]{2,40}\)\s*[-–—:]\s*/u;
const WORD = /[\p{L}\p{N}]+/gu;
const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;

function withoutDateline(body: string): string {
  return body.replace(DATELINE, '');
}

/**
 * One-permutation MinHash: each shingle is hashed once and lands in one of SIGNATURE_SIZE bins;
 * a bin keeps its smallest hash. That is one hash per shingle instead of one per shingle and
 * bin (64× less work at indexing time) with the same Jaccard estimate. Empty bins (short texts)
 * borrow from the next filled bin, so two texts agree on them exactly when they agree there.
 */
export function fingerprint(body: string): TextFingerprint {
  const wordCount = readWords(body);
  const hashes = shingleHashes(wordCount);
  if (hashes.length === 0 && wordCount > 0) hashes.push(hashCodeUnits(wordStarts[0]!, wordStarts[wordCount]! - 1));
  const signature = new Uint32Array(SIGNATURE_SIZE).fill(EMPTY_BIN);
  let shingleCount = 0;
  for (const shingle of hashes) {
    if (!distinctShingles.add(shingle)) continue; // a repeated shingle changes neither minima nor count
    shingleCount += 1;
    const mixed = mix(shingle);
    const bin = mixed % SIGNATURE_SIZE;
    const value = mix(mixed ^ 0x5bd1e995) & 0x7fffffff; // top bit marks borrowed values
    if (value < signature[bin]!) signature[bin] = value;
  }
  distinctShingles.clear();
  densify(signature);
  return { signature, shingleCount };
}

/**
 * The words of `normalisedWords`, written into `codeUnits` (each followed by a space) with their
 * starts in `wordStarts`, in one pass and without a string per word: those strings were most of
 * the garbage fingerprinting made. Returns the number of words.
 */
function readWords(body: string): number {
  const text = withoutDateline(body).toLowerCase();
  if (codeUnits.length < text.length + 1) codeUnits = new Uint16Array((text.length + 1) * 2);
  let at = 0;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const pair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    const isPair = pair >= 0xdc00 && pair <= 0xdfff;
    if (isPair ? isWordCodePoint(text.codePointAt(i)!) : isWordUnit(unit)) {
      if (!inWord) {
        if (words + 1 >= wordStarts.length) wordStarts = grown(wordStarts);
        wordStarts[words++] = at;
        inWord = true;
      }
      codeUnits[at++] = unit;
      if (isPair) codeUnits[at++] = text.charCodeAt(++i);
    } else if (inWord) {
      codeUnits[at++] = SPACE;
      inWord = false;
    }
  }
  if (inWord) codeUnits[at++] = SPACE;
  wordStarts[words] = at;
  return words;
}

/** Word character test per UTF-16 unit, decided once by the same regex as `normalisedWords`. */
const unitClass = new Uint8Array(0x10000); // 0 = not yet known, 1 = word, 2 = not
function isWordUnit(unit: number): boolean {
  let known = unitClass[unit]!;
  if (known === 0) {
    known = WORD_CHARACTER.test(String.fromCharCode(unit)) ? 1 : 2;
    unitClass[unit] = known;
  }
  return known === 1;
}

function isWordCodePoint(codePoint: number): boolean {
  return WORD_CHARACTER.test(String.fromCodePoint(codePoint));
}

function grown(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * FNV-1a of every run of SHINGLE_WORDS words joined by single spaces, hashed as slices of
 * `codeUnits` (same values as hashing the joined text).
 */
function shingleHashes(wordCount: number): number[] {
  const hashes: number[] = [];
  for (let first = 0; first + SHINGLE_WORDS <= wordCount; first++) {
    hashes.push(hashCodeUnits(wordStarts[first]!, wordStarts[first + SHINGLE_WORDS]! - 1)); // without the space after the last word
  }
  return hashes;
}

function hashCodeUnits(start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    hash ^= codeUnits[i]!;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

const SPACE = 0x20;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Scratch buffers reused across calls (fingerprinting is synchronous, so never shared). */
let codeUnits: Uint16Array = new Uint16Array(1 << 14);
let wordStarts: Int32Array = new Int32Array(1 << 12);

/**
 * A set of 32-bit values for one text at a time, open addressing in typed arrays: JavaScript's
 * Set costs more than the rest of fingerprinting for the ~500 shingles of an article.
 */
class ShingleSet {
  #slots = new Uint32Array(1 << 10);
  #used = new Uint8Array(1 << 10);
  #size = 0;
  #touched: number[] = [];

  /** Adds a value; false if it was there already. */
  add(value: number): boolean {
    if ((this.#size + 1) * 2 > this.#slots.length) this.#grow();
    const mask = this.#slots.length - 1;
    for (let slot = mix(value) & mask; ; slot = (slot + 1) & mask) {
      if (!this.#used[slot]) {
        this.#used[slot] = 1;
        this.#slots[slot] = value;
        this.#touched.push(slot);
        this.#size += 1;
        return true;
      }
      if (this.#slots[slot] === value) return false;
    }
  }

  clear(): void {
    for (const slot of this.#touched) this.#used[slot] = 0;
    this.#touched.length = 0;
    this.#size = 0;
  }

  #grow(): void {
    const values = this.#touched.map((slot) => this.#slots[slot]!);
    this.#slots = new Uint32Array(this.#slots.length * 2);
    this.#used = new Uint8Array(this.#slots.length);
    this.#touched.length = 0;
    this.#size = 0;
    for (const value of values) this.add(value);
  }
}

const distinctShingles = new ShingleSet();

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
