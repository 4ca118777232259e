import type { CheerioAPI } from '../html.js';
import { pageElements } from './dom.js';

export interface JsonLdArticle {
  headline?: string | undefined;
  datePublished?: string | undefined;
  dateModified?: string | undefined;
  authors: string[];
  inLanguage?: string | undefined;
  keywords: string[];
  /** The full text, where the page puts it in its JSON-LD. */
  articleBody?: string | undefined;
}

const ARTICLE_TYPES = /^(NewsArticle|Article|ReportageNewsArticle|AnalysisNewsArticle|BlogPosting|LiveBlogPosting|Report|OpinionNewsArticle|BackgroundNewsArticle)$/;

/** The first article-like object in any JSON-LD block (arrays and @graph included). Broken JSON is skipped. */
export function readJsonLdArticle($: CheerioAPI): JsonLdArticle | undefined {
  // script[type="application/ld+json"]; HTML compares the type attribute case-insensitively.
  for (const element of pageElements($).filter((candidate) => candidate.name === 'script' && candidate.attribs.type?.toLowerCase() === 'application/ld+json')) {
    const parsed = parseLenient($(element).text());
    const article = parsed === undefined ? undefined : findArticle(parsed, 0);
    if (article) return toArticle(article);
  }
  return undefined;
}

function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text.trim().replace(/^<!--|-->$/g, ''));
  } catch {
    return undefined;
  }
}

function findArticle(node: unknown, depth: number): Record<string, unknown> | undefined {
  if (depth > 5 || node === null || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findArticle(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const record = node as Record<string, unknown>;
  const types = ([] as unknown[]).concat(record['@type'] ?? []);
  if (types.some((type) => typeof type === 'string' && ARTICLE_TYPES.test(type))) return record;
  return findArticle(record['@graph'], depth + 1) ?? findArticle(record.mainEntity, depth + 1);
}

function toArticle(record: Record<string, unknown>): JsonLdArticle {
  return {
    headline: asString(record.headline) ?? asString(record.name),
    datePublished: asString(record.datePublished) ?? asString(record.dateCreated),
    dateModified: asString(record.dateModified),
    authors: ([] as unknown[])
      .concat(record.author ?? [])
      .map((author) => (typeof author === 'string' ? author : asString((author as Record<string, unknown>)?.name)))
      .filter((name): name is string => Boolean(name)),
    inLanguage: asString(record.inLanguage) ?? asString((record.inLanguage as Record<string, unknown> | undefined)?.name),
    articleBody: asString(record.articleBody) ?? asString(record.text),
    keywords: typeof record.keywords === 'string'
      ? record.keywords.split(',').map((keyword) => keyword.trim()).filter(Boolean)
      : Array.isArray(record.keywords) ? record.keywords.filter((k): k is string => typeof k === 'string') : [],
  };
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? decodeEntities(value.trim()) : undefined;
}

const NAMED: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: '\u00a0' };

/** Some portals HTML-escape their JSON-LD strings ("&#8222;Zitat&#8220;"). */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] !== '#') return NAMED[entity.toLowerCase()] ?? whole;
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
