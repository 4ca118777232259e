import type { AnyNode, Element } from 'domhandler';
import { classAndId } from './dom.js';

/**
 * What never holds article text: by tag, by ARIA role, by being hidden, or by a class/id that
 * names navigation, sharing, comments, teasers, ads and the like (unless it also names the
 * article itself). The lists follow Readability's "unlikely candidates", extended by the German
 * names portals use ("teaser", "empfehlung", "kommentar", "werbung").
 */
const NEVER_TEXT = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'svg', 'canvas', 'nav', 'footer', 'aside', 'button', 'select',
  'input', 'textarea', 'label', 'dialog', 'menu', 'figure', 'figcaption', 'picture', 'video', 'audio', 'object', 'embed',
  'head', 'title', 'meta', 'link',
]);

const BOILERPLATE_ROLES = /^(navigation|complementary|banner|contentinfo|dialog|alertdialog|menu|menubar|search|toolbar|tablist)$/i;

const UNLIKELY =
  /(^|[\s_-])(ads?|adv|advert\w*|anzeigen?|werbung|banner|breadcrumbs?|combx|comments?|kommentare?|community|disqus|footer|gdpr|consent|cookies?|header|legends|menu|navi?|navigation|navbar|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|share|sharing|shariff|sponsor\w*|supplemental|pagination|pager|popup|modal|newsletter|teasers?|empfehlung\w*|recommend\w*|outbrain|taboola|plista|toolbar|author-?(box|bio|info)|autorenbox|bio|tags?|taglist|tag-list|topics|themen|print|more|weitere|readmore|read-more|mehr|subscribe|abo|paywall-?(hint|teaser|info)|promo|meistgelesen|most-read|trending|login|signup|overlay|sr-only|visually-hidden|credits?|bildzeile|bildunterschrift|bildtext|copyright|byline|meta|dateline-box|infobox-related|jump|skip|toc)([\s_-]|$)/;

const MAYBE_ARTICLE = /(^|[\s_-])(article|artikel|body|content|main|story|entry|post|text|inhalt|beitrag|richtext|rte)([\s_-]|$)/;

export function isBoilerplate(element: Element): boolean {
  if (NEVER_TEXT.has(element.name)) return true;
  const attribs = element.attribs;
  if (attribs.hidden !== undefined || attribs['aria-hidden'] === 'true') return true;
  if (attribs.role && BOILERPLATE_ROLES.test(attribs.role)) return true;
  if (attribs.style && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(attribs.style)) return true;
  if (element.name === 'body' || element.name === 'html' || element.name === 'main' || element.name === 'article') return false;
  const names = classAndId(element);
  if (!names.trim()) return false;
  return UNLIKELY.test(names) && !MAYBE_ARTICLE.test(names) && !holdsArticle(element);
}

/** A wrapper named "has-sidebar" or "page-header-offset" may still hold the whole article. */
function holdsArticle(element: Element): boolean {
  const stack: AnyNode[] = [...element.children];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type !== 'tag') continue;
    const child = node as Element;
    if (child.name === 'article' || child.name === 'main' || child.name === 'h1' || child.attribs.itemprop === 'articleBody') return true;
    stack.push(...child.children);
  }
  return false;
}

/** Readability's class weight: +25 for names that mean content, −25 for names that mean clutter. */
const POSITIVE = /article|artikel|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|inhalt|beitrag/;
const NEGATIVE = /-ad-|hidden|banner|combx|comment|kommentar|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|teaser|empfehlung|newsletter/;

const CLASS_WEIGHT = 25;

export function classWeight(element: Element): number {
  const names = classAndId(element);
  if (!names.trim()) return 0;
  let weight = 0;
  if (NEGATIVE.test(names)) weight -= CLASS_WEIGHT;
  if (POSITIVE.test(names)) weight += CLASS_WEIGHT;
  return weight;
}

/** Elements whose class marks a lead/standfirst ("lead", "intro", "teaser-text", "einleitung"). */
export const LEAD_CLASS = /(^|[\s_-])(lead|leadtext|lede|deck|dek|subline|excerpt|description|abstract)([\s_-]|$)|intro|standfirst|summary|subtitle|sub-title|teaser-?text|article-?teaser|vorspann|einleitung|kurztext|header-?text/;
