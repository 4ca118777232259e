import type { AnyNode, Element } from 'domhandler';
import type { Cheerio, CheerioAPI } from 'cheerio';
import { compile } from 'css-select';

/**
 * Small helpers on the raw htmlparser2 tree. The body heuristic walks thousands of nodes per
 * page; plain tree access is an order of magnitude faster than cheerio wrappers in those loops.
 */
export function isElement(node: AnyNode | null | undefined): node is Element {
  return Boolean(node) && (node!.type === 'tag' || node!.type === 'script' || node!.type === 'style');
}

export function childElements(element: Element): Element[] {
  return element.children.filter(isElement);
}

/** class and id, lower-cased, for pattern tests. */
export function classAndId(element: Element): string {
  const attribs = element.attribs;
  return `${attribs.class ?? ''} ${attribs.id ?? ''}`.toLowerCase();
}

/** Raw text under a node, skipping subtrees `skip` rejects. Whitespace is not collapsed. */
export function rawText(node: AnyNode, skip?: (element: Element) => boolean): string {
  const parts: string[] = [];
  const walk = (current: AnyNode): void => {
    if (current.type === 'text') {
      parts.push((current as unknown as { data: string }).data);
      return;
    }
    if (!isElement(current)) return;
    if (skip?.(current)) return;
    if (current.type === 'script' || current.type === 'style') return;
    for (const child of current.children) walk(child);
  };
  walk(node);
  return parts.join('');
}

/**
 * Length of the text under anchors, divided by all text (0 when there is no text). Both lengths
 * come from `textStats`, computed once per node, so scoring every ancestor stays linear.
 */
export function linkDensity(element: Element, skip?: (element: Element) => boolean): number {
  const stats = textStats(element, skip);
  const all = trimmedLength(stats);
  return all === 0 ? 0 : Math.min(1, stats.linked / all);
}

/** Length of `rawText(node, skip)` with whitespace collapsed and trimmed, without building the text. */
export function textLength(node: AnyNode, skip?: (element: Element) => boolean): number {
  return trimmedLength(textStats(node, skip));
}

export function collapsedLength(text: string): number {
  return trimmedLength(textNodeStats(text));
}

/**
 * What collapsing whitespace does to a subtree's text, in a form two texts can be joined by:
 * the collapsed length, whether it starts/ends with whitespace, whether it is only whitespace.
 * `linked` is the summed trimmed length of the outermost anchors inside (for link density).
 */
interface TextStats {
  length: number;
  empty: boolean;
  onlySpace: boolean;
  leadingSpace: boolean;
  trailingSpace: boolean;
  linked: number;
}

const EMPTY_STATS: TextStats = { length: 0, empty: true, onlySpace: true, leadingSpace: false, trailingSpace: false, linked: 0 };

/** Per `skip` function (each one a different view of the tree), the stats of every node asked about. */
const statsBySkip = new WeakMap<object, WeakMap<AnyNode, TextStats>>();
const NO_SKIP = {};

function textStats(node: AnyNode, skip: ((element: Element) => boolean) | undefined): TextStats {
  let memo = statsBySkip.get(skip ?? NO_SKIP);
  if (!memo) {
    memo = new WeakMap();
    statsBySkip.set(skip ?? NO_SKIP, memo);
  }
  return statsOf(node, skip, memo);
}

function statsOf(node: AnyNode, skip: ((element: Element) => boolean) | undefined, memo: WeakMap<AnyNode, TextStats>): TextStats {
  if (node.type === 'text') return textNodeStats((node as unknown as { data: string }).data);
  if (!isElement(node) || skip?.(node) || node.type === 'script' || node.type === 'style') return EMPTY_STATS;
  const known = memo.get(node);
  if (known) return known;
  let joined = EMPTY_STATS;
  let linked = 0;
  for (const child of node.children) {
    const childStats = statsOf(child, skip, memo);
    joined = join(joined, childStats);
    linked += childStats.linked;
  }
  const stats = { ...joined, linked: node.name === 'a' ? trimmedLength(joined) : linked };
  memo.set(node, stats);
  return stats;
}

/** Counted in one pass without building the collapsed string (this runs for every text node). */
function textNodeStats(data: string): TextStats {
  if (data.length === 0) return EMPTY_STATS;
  let length = 0;
  let inSpace = false;
  for (let i = 0; i < data.length; i++) {
    const space = isSpaceCode(data.charCodeAt(i));
    if (!space || !inSpace) length += 1;
    inSpace = space;
  }
  const leadingSpace = isSpaceCode(data.charCodeAt(0));
  const trailingSpace = isSpaceCode(data.charCodeAt(data.length - 1));
  return { length, empty: false, onlySpace: length === 1 && leadingSpace, leadingSpace, trailingSpace, linked: 0 };
}

/** Exactly the characters of the regex class `\s` (which includes U+00A0). */
export function isSpaceCode(code: number): boolean {
  if (code < 0x80) return code === 32 || (code >= 9 && code <= 13);
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** Collapsed text of a + b: a whitespace run across the seam collapses to one space. */
function join(a: TextStats, b: TextStats): TextStats {
  if (a.empty) return b;
  if (b.empty) return a;
  return {
    length: a.length + b.length - (a.trailingSpace && b.leadingSpace ? 1 : 0),
    empty: false,
    onlySpace: a.onlySpace && b.onlySpace,
    leadingSpace: a.leadingSpace,
    trailingSpace: b.trailingSpace,
    linked: 0,
  };
}

function trimmedLength(stats: TextStats): number {
  if (stats.empty || stats.onlySpace) return 0;
  return stats.length - (stats.leadingSpace ? 1 : 0) - (stats.trailingSpace ? 1 : 0);
}

/** Every element under `root` in document order. */
export function descendants(root: AnyNode): Element[] {
  const out: Element[] = [];
  const walk = (node: AnyNode): void => {
    if (!isElement(node) && node.type !== 'root') return;
    if (isElement(node)) out.push(node);
    for (const child of (node as unknown as { children?: AnyNode[] }).children ?? []) walk(child);
  };
  walk(root);
  return out;
}

/**
 * Every element of the page in document order, collected once per parsed page. Filtering this
 * array is much cheaper than a CSS query, which compiles its selector and walks the whole tree
 * each time; the extractor asks a dozen such questions per page.
 */
const elementsCache = new WeakMap<object, Element[]>();

export function pageElements($: CheerioAPI): Element[] {
  const root = $.root().get(0)!;
  let elements = elementsCache.get(root);
  if (!elements) {
    elements = descendants(root);
    elementsCache.set(root, elements);
  }
  return elements;
}

/**
 * `$(selector)` over the whole page, answered by filtering the page's element list: the same
 * elements in the same (document) order, without walking the tree again for every selector.
 * Positional pseudo-classes (":first", ":eq(1)") count within the filtered list and a leading
 * combinator ("> p") is relative to the query's context, and "<p>" is HTML to create, so such
 * selectors keep the ordinary query.
 */
export function queryPage($: CheerioAPI, selector: string): Cheerio<Element> {
  if (selector.includes(':') || /(^|,)\s*[>+~]|^\s*</.test(selector)) return $(selector) as Cheerio<Element>;
  return $(pageElements($).filter(compiledSelector(selector)));
}

/**
 * Compiled once per selector string: cheerio's filter parses and compiles the selector on every
 * call and copies its whole selection first, which cost more than the matching on a 50 KB page.
 */
const compiledSelectors = new Map<string, (element: Element) => boolean>();

function compiledSelector(selector: string): (element: Element) => boolean {
  let test = compiledSelectors.get(selector);
  if (!test) {
    test = compile<AnyNode, Element>(selector, { xmlMode: false });
    if (compiledSelectors.size > 1_000) compiledSelectors.clear();
    compiledSelectors.set(selector, test);
  }
  return test;
}

/** Whether an element has an ancestor with this tag name. */
export function hasAncestorNamed(element: Element, name: string): boolean {
  for (let current = element.parent; current && isElement(current); current = current.parent) {
    if (current.name === name) return true;
  }
  return false;
}

export function ancestors(element: Element): Element[] {
  const out: Element[] = [];
  let current = element.parent;
  while (current && isElement(current)) {
    out.push(current);
    current = current.parent;
  }
  return out;
}
