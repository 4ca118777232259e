import type { AnyNode, Element } from 'domhandler';
import { classWeight, isBoilerplate } from './boilerplate.js';
import { ancestors, childElements, collapsedLength, isElement, linkDensity, rawText, textLength } from './dom.js';

/**
 * Main-content heuristic after Readability: every text block (p, pre, td, and a div holding text
 * directly) scores 1 + commas + up to 3 for its length, credited to its parent in full, its
 * grandparent by half, and further ancestors by a third per level. Ancestors start from a tag and
 * class weight; the final score is discounted by link density. The best element, plus siblings
 * that score nearly as well or hold plain prose, is the article body.
 */
/** How many other strong candidates must share an ancestor for it to win (Readability uses 3 of 4). */
const MIN_SHARED = 2;
const TEXT_BLOCKS = new Set(['p', 'pre', 'td', 'blockquote']);
const BLOCK_CHILDREN = new Set(['p', 'div', 'section', 'article', 'table', 'ul', 'ol', 'dl', 'blockquote', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'form', 'main', 'header', 'footer', 'aside', 'nav', 'figure']);

export interface ContentRoot {
  /** The chosen elements in document order (the top candidate and qualifying siblings). */
  nodes: Element[];
  /** Every element found to be boilerplate (memoised for the block walk). */
  skip: (element: Element) => boolean;
}

/** `onScores` sees every candidate's final score (for debugging a layout). */
export function findContentRoot(root: AnyNode, onScores?: (scores: Map<Element, number>) => void): ContentRoot | undefined {
  const removed = new Map<Element, boolean>();
  const skip = (element: Element): boolean => {
    let value = removed.get(element);
    if (value === undefined) {
      value = isBoilerplate(element);
      removed.set(element, value);
    }
    return value;
  };

  const scores = new Map<Element, number>();
  const blocks: Array<{ text: string; length: number; chain: Element[] }> = [];
  const walk = (node: AnyNode): void => {
    if (!isElement(node)) {
      for (const child of (node as unknown as { children?: AnyNode[] }).children ?? []) walk(child);
      return;
    }
    if (skip(node)) return;
    if (TEXT_BLOCKS.has(node.name)) blocks.push({ text: rawText(node, skip), length: textLength(node, skip), chain: ancestors(node).slice(0, 5) });
    else if (node.name === 'div') {
      const direct = directText(node);
      // A div of loose text is a paragraph; loose text beside blocks is a paragraph inside the div.
      if (direct.length >= 25) blocks.push({ text: direct.text, length: direct.length, chain: direct.hasBlocks ? [node, ...ancestors(node).slice(0, 4)] : ancestors(node).slice(0, 5) });
    }
    for (const child of node.children) walk(child);
  };
  walk(root);

  const initial = (element: Element): number => {
    let score = classWeight(element);
    switch (element.name) {
      case 'div': case 'article': case 'main': case 'section': score += 5; break;
      case 'pre': case 'td': case 'blockquote': score += 3; break;
      case 'address': case 'ol': case 'ul': case 'dl': case 'dd': case 'dt': case 'li': case 'form': score -= 3; break;
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': case 'th': score -= 5; break;
    }
    return score;
  };

  for (const { text, length, chain } of blocks) {
    if (length < 25) continue;
    const contentScore = 1 + (text.match(/[,،、，]/g)?.length ?? 0) + Math.min(Math.floor(length / 100), 3);
    chain.forEach((ancestor, level) => {
      if (ancestor.name === 'html') return;
      if (!scores.has(ancestor)) scores.set(ancestor, initial(ancestor));
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      scores.set(ancestor, scores.get(ancestor)! + contentScore / divider);
    });
  }

  let top: Element | undefined;
  let topScore = -Infinity;
  const finalScores = new Map<Element, number>();
  for (const [element, score] of scores) {
    const final = score * (1 - linkDensity(element, skip));
    finalScores.set(element, final);
    if (final > topScore) {
      top = element;
      topScore = final;
    }
  }
  onScores?.(finalScores);
  if (!top) return undefined;

  // Readability's two ways up: when three of the strongest candidates share an ancestor, the
  // text is split over them and the ancestor is the article; and a parent that outscores the
  // candidate on the way up (before scores fall below a third) wins.
  const strong = [...finalScores].filter(([element, score]) => element !== top && score >= topScore * 0.75).sort((a, b) => b[1] - a[1]).slice(0, 4);
  if (strong.length >= MIN_SHARED) {
    const chains = strong.map(([element]) => new Set(ancestors(element)));
    for (let parent = top.parent; isElement(parent) && parent.name !== 'body' && parent.name !== 'html'; parent = parent.parent) {
      if (chains.filter((chain) => chain.has(parent as Element)).length >= MIN_SHARED) {
        top = parent;
        break;
      }
    }
  }
  topScore = finalScores.get(top) ?? topScore;
  let lastScore = topScore;
  for (let parent = top.parent; isElement(parent) && parent.name !== 'body' && parent.name !== 'html'; parent = parent.parent) {
    const parentScore = finalScores.get(parent);
    if (parentScore === undefined) continue;
    if (parentScore < topScore / 3) break;
    if (parentScore > lastScore) {
      top = parent;
      topScore = parentScore;
      break;
    }
    lastScore = parentScore;
  }
  while (isElement(top.parent) && top.parent.name !== 'body' && childElements(top.parent).length === 1) top = top.parent;

  const nodes: Element[] = [];
  const siblingsOf = isElement(top.parent) ? childElements(top.parent) : [top];
  const threshold = Math.max(10, topScore * 0.2);
  for (const sibling of siblingsOf) {
    if (sibling === top) {
      nodes.push(sibling);
      continue;
    }
    if (skip(sibling)) continue;
    let bonus = 0;
    if (sibling.attribs.class && sibling.attribs.class === top.attribs.class) bonus += topScore * 0.2;
    const score = finalScores.get(sibling);
    if (score !== undefined && score + bonus >= threshold) {
      nodes.push(sibling);
      continue;
    }
    if (sibling.name === 'p') {
      const length = textLength(sibling, skip);
      const density = linkDensity(sibling, skip);
      if ((length > 80 && density < 0.25) || (length > 0 && length <= 80 && density === 0 && /\.( |$)/.test(rawText(sibling)))) nodes.push(sibling);
    }
  }
  return { nodes, skip };
}

/** Text of a div outside its block children: loose text nodes and inline elements. */
function directText(element: Element): { text: string; length: number; hasBlocks: boolean } {
  const parts: string[] = [];
  let hasBlocks = false;
  for (const child of element.children) {
    if (child.type === 'text') parts.push((child as unknown as { data: string }).data);
    else if (isElement(child)) {
      if (BLOCK_CHILDREN.has(child.name) || child.name === 'li' || child.name === 'ul') hasBlocks = true;
      else if (INLINE_TEXT.has(child.name)) parts.push(rawText(child));
    }
  }
  const text = parts.join(' ');
  return { text, length: collapsedLength(text), hasBlocks };
}

const INLINE_TEXT = new Set(['span', 'font', 'b', 'strong', 'i', 'em', 'u', 'small', 'big', 'mark', 'q', 'cite', 'abbr', 'sub', 'sup', 'a']);
