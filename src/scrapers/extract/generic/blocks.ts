import type { AnyNode, Element } from 'domhandler';
import { cleanText } from '../html.js';
import { classWeight } from './boilerplate.js';
import { isElement, linkDensity, rawText, textLength } from './dom.js';

/**
 * The text of the chosen content elements as paragraphs, in reading order: block elements end a
 * paragraph, inline text runs on, <br><br> splits, table rows become one line each. Subtrees that
 * are boilerplate, or lists and boxes made mostly of links, are skipped.
 */
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'dl', 'dt', 'dd',
  'blockquote', 'pre', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'address', 'center', 'details', 'summary', 'hr',
]);
const CONTAINERS = new Set(['div', 'section', 'ul', 'ol', 'dl', 'table', 'header', 'article']);

export interface Block {
  text: string;
  tag: string;
  element: Element;
}

export function collectBlocks(nodes: Element[], skip: (element: Element) => boolean): Block[] {
  const blocks: Block[] = [];
  let buffer = '';
  let bufferOwner: Element | undefined;
  let bufferTag = 'p';
  const flush = (): void => {
    const text = cleanText(buffer);
    if (text && bufferOwner) blocks.push({ text, tag: bufferTag, element: bufferOwner });
    buffer = '';
  };
  const walk = (node: AnyNode, owner: Element, ownerTag: string): void => {
    if (node.type === 'text') {
      if (!buffer) {
        bufferOwner = owner;
        bufferTag = ownerTag;
      }
      buffer += (node as unknown as { data: string }).data;
      return;
    }
    if (!isElement(node)) return;
    if (skip(node) || node.name === 'h1') return;
    if (node.name === 'br') {
      buffer += '\n';
      if (/\n\s*\n\s*$/.test(buffer)) flush();
      return;
    }
    const isBlock = BLOCK.has(node.name);
    if (isBlock) {
      if (CONTAINERS.has(node.name) && isLinkBox(node, skip)) return;
      flush();
      if (node.name === 'tr') {
        const cells = node.children.filter(isElement).map((cell) => rawText(cell, skip).replace(/\s+/g, ' ').trim()).filter(Boolean);
        if (cells.length) blocks.push({ text: cells.join(' '), tag: 'tr', element: node });
        return;
      }
    }
    const nextOwner = isBlock ? node : owner;
    const nextTag = isBlock ? node.name : ownerTag;
    for (const child of node.children) walk(child, nextOwner, nextTag);
    if (isBlock) flush();
  };
  for (const node of nodes) {
    walk(node, node, node.name);
    flush();
  }
  return blocks;
}

/** A list or box made of links (related articles, tag clouds), Readability's conditional clean. */
function isLinkBox(element: Element, skip: (element: Element) => boolean): boolean {
  const length = textLength(element, skip);
  if (length === 0) return false;
  const density = linkDensity(element, skip);
  const weight = classWeight(element);
  if (weight < 0 && density > 0.2) return true;
  if (density > 0.5 && length < 2000) return true;
  if (weight < 25 && density > 0.33 && length < 400 && !/[.!?]["“”»«]?\s/.test(rawText(element, skip))) return true;
  return false;
}
