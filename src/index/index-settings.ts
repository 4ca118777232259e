/**
 * The settings the article index must have. `settingsDifference` lets the client send only
 * what differs, so applying them on every run is cheap and never triggers a needless reindex.
 */
// searchTerms last: a match in the article's own words ranks above one found only through a compound part.
export const SEARCHABLE_ATTRIBUTES = ['headline', 'kicker', 'lead', 'body', 'imageCaptions', 'dateline', 'searchTerms'] as const;

export const DESIRED_SETTINGS = {
  searchableAttributes: [...SEARCHABLE_ATTRIBUTES],
  // Granular: only publishedAt needs range comparisons; no attribute needs facet search. Each
  // unneeded capability is a data structure Meilisearch would build for every document.
  filterableAttributes: [
    { attributePatterns: ['publishedAt'], features: { facetSearch: false, filter: { equality: true, comparison: true } } },
    {
      attributePatterns: ['day', 'week', 'month', 'site', 'storyId', 'place', 'agency', 'tags'],
      features: { facetSearch: false, filter: { equality: true, comparison: false } },
    },
  ],
  sortableAttributes: ['publishedAt'],
  // Sort first: a query with a date sort must come back in date order, not relevance order
  // with the date only breaking ties (Meilisearch's default). Without a sort it has no effect.
  rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
  typoTolerance: { enabled: true, disableOnNumbers: true },
  // Proximity by attribute, not by word distance: indexing no longer builds the word-pair
  // proximity database (the largest share of indexing time for ~3 KB bodies). A timeline is
  // sorted by date first, so fine-grained proximity would change little of what researchers see.
  proximityPrecision: 'byAttribute',
  facetSearch: false,
  // Acronyms and long names (KSM / Kommunalservice Mecklenburg) are matched through aliases.ts.
  synonyms: synonymGroups([
    ['cyberangriff', 'hackerangriff', 'cyberattacke', 'hackerattacke', 'cyber-angriff'],
    ['schadsoftware', 'malware', 'trojaner'],
  ]),
  pagination: { maxTotalHits: 100_000 },
  // A by-day histogram over four years has ~1,500 buckets; facets show only this many values.
  faceting: { maxValuesPerFacet: 2000 },
} as const;

export type DesiredSettings = typeof DESIRED_SETTINGS;

/** Every term of a group is a synonym of every other. */
function synonymGroups(groups: string[][]): Record<string, string[]> {
  const synonyms: Record<string, string[]> = {};
  for (const group of groups) for (const term of group) synonyms[term] = group.filter((other) => other !== term);
  return synonyms;
}

/** Keys whose current value differs from the desired one. */
export function settingsDifference(current: Record<string, unknown>, desired: Record<string, unknown> = DESIRED_SETTINGS): Record<string, unknown> {
  const difference: Record<string, unknown> = {};
  for (const [key, want] of Object.entries(desired)) {
    const have = current[key];
    const same =
      key === 'filterableAttributes' || key === 'sortableAttributes'
        ? sortedJson(have) === sortedJson(want) // order carries no meaning here
        : key === 'synonyms'
          ? sortedJson(have) === sortedJson(want)
          : containsAll(have, want);
    if (!same) difference[key] = want;
  }
  return difference;
}

/** JSON with object keys and array items sorted, for order-insensitive comparison. */
function sortedJson(value: unknown): string {
  const normalise = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(normalise).map((x) => JSON.stringify(x)).sort();
    if (item && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, normalise(v)]));
    }
    return item;
  };
  return JSON.stringify(normalise(value ?? null));
}

/** Arrays must be equal in order; objects need only hold the wanted fields (the server adds defaults). */
function containsAll(have: unknown, want: unknown): boolean {
  if (Array.isArray(want)) return JSON.stringify(have) === JSON.stringify(want);
  if (want && typeof want === 'object') {
    if (!have || typeof have !== 'object') return false;
    return Object.entries(want).every(([key, value]) => containsAll((have as Record<string, unknown>)[key], value));
  }
  return have === want;
}
