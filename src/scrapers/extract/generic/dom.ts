import type { AnyNode, Element } from 'domhandler';

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

/** Length of the text under anchors, divided by all text (0 when there is no text). */
export function linkDensity(element: Element, skip?: (element: Element) => boolean): number {
  const all = collapsedLength(rawText(element, skip));
  if (all === 0) return 0;
  let linked = 0;
  const walk = (current: AnyNode): void => {
    if (!isElement(current) || skip?.(current)) return;
    if (current.name === 'a') {
      linked += collapsedLength(rawText(current, skip));
      return;
    }
    for (const child of current.children) walk(child);
  };
  walk(element);
  return Math.min(1, linked / all);
}

export function collapsedLength(text: string): number {
  return text.replace(/[\s\u00a0]+/g, ' ').trim().length;
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

export function ancestors(element: Element): Element[] {
  const out: Element[] = [];
  let current = element.parent;
  while (current && isElement(current)) {
    out.push(current);
    current = current.parent;
  }
  return out;
}
