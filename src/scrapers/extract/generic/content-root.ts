import type { AnyNode, Element } from 'domhandler';
import { classWeight, isBoilerplate } from './boilerplate.js';
import { ancestors, childElements, collapsedLength, isElement, linkDensity, rawText } from './dom.js';

/**
 * Main-content heuristic after Readability: every text block (p, pre, td, and a div holding text
 * directly) scores 1 + commas + up to 3 for its length, credited to its parent in full, its
 * grandparent by half, and further ancestors by a third per level. Ancestors start from a tag and
 * class weight; the final score is discounted by link density. The best element, plus siblings
 * that score nearly as well or hold plain prose, is the article body.
 */
const TEXT_BLOCKS = new Set(['p', 'pre', 'td', 'blockquote']);
const BLOCK_CHILDREN = new Set(['p', 'div', 'section', 'article', 'table', 'ul', 'ol', 'dl', 'blockquote', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'form', 'main', 'header', 'footer', 'aside', 'nav', 'figure']);

export interface ContentRoot {
  /** The chosen elements in document order (the top candidate and qualifying siblings). */
  nodes: Element[];
  /** Every element found to be boilerplate (memoised for the block walk). */
  skip: (element: Element) => boolean;
}

export function findContentRoot(root: AnyNode): ContentRoot | undefined {
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
  const blocks: Element[] = [];
  const walk = (node: AnyNode): void => {
    if (!isElement(node)) {
      for (const child of (node as unknown as { children?: AnyNode[] }).children ?? []) walk(child);
      return;
    }
    if (skip(node)) return;
    if (TEXT_BLOCKS.has(node.name) || (node.name === 'div' && holdsTextDirectly(node))) blocks.push(node);
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

  for (const block of blocks) {
    const text = rawText(block, skip);
    const length = collapsedLength(text);
    if (length < 25) continue;
    const contentScore = 1 + (text.match(/[,،、，]/g)?.length ?? 0) + Math.min(Math.floor(length / 100), 3);
    const chain = ancestors(block).slice(0, 5);
    chain.forEach((ancestor, level) => {
      if (ancestor.name === 'html' || ancestor.name === 'body') return;
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
  if (!top) return undefined;

  // Climb while the parent scores at least as well: the text is split over sibling blocks.
  let parent = top.parent;
  while (isElement(parent) && parent.name !== 'body' && parent.name !== 'html') {
    const parentScore = finalScores.get(parent);
    if (parentScore === undefined || parentScore < topScore * 0.9) break;
    if (parentScore > topScore) topScore = parentScore;
    top = parent;
    parent = top.parent;
  }

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
      const length = collapsedLength(rawText(sibling, skip));
      const density = linkDensity(sibling, skip);
      if ((length > 80 && density < 0.25) || (length > 0 && length <= 80 && density === 0 && /\.( |$)/.test(rawText(sibling)))) nodes.push(sibling);
    }
  }
  return { nodes, skip };
}

/** A div whose own text nodes hold prose (text separated by <br>, not wrapped in <p>). */
function holdsTextDirectly(element: Element): boolean {
  let direct = 0;
  for (const child of element.children) {
    if (child.type === 'text') direct += collapsedLength((child as unknown as { data: string }).data);
    else if (isElement(child) && BLOCK_CHILDREN.has(child.name)) return false;
  }
  return direct >= 25;
}
