import { containsTerm } from '../scrapers/discover/relevance.js';

/**
 * Names the incident's actors go by. Meilisearch synonyms handle one word against one word well,
 * but not an acronym against a four-word name ("SIS" / "Schweriner IT- und Servicegesellschaft"),
 * so every form of a name found in an article adds the other forms to its search terms.
 */
export const ENTITY_ALIASES: readonly (readonly string[])[] = [
  ['KSM', 'Kommunalservice Mecklenburg'],
  ['SIS', 'Schweriner IT- und Servicegesellschaft'],
];

/** Pure: the other forms of every alias group that the texts mention, as search words. */
export function aliasTerms(texts: Array<string | null | undefined>, groups: readonly (readonly string[])[] = ENTITY_ALIASES): string {
  const text = texts.filter(Boolean).join('\n');
  const terms: string[] = [];
  for (const group of groups) {
    const mentioned = group.filter((form) => containsTerm(text, form));
    if (mentioned.length === 0) continue;
    for (const form of group) if (!mentioned.includes(form)) terms.push(form.toLowerCase().replace(/[^\p{L}\p{N}\s]+/gu, ' '));
  }
  return terms.join(' ').replace(/\s+/g, ' ').trim();
}
