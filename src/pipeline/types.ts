/**
 * The types that cross stage boundaries, in pipeline order:
 * DiscoveredLink → FrontierEntry → FetchResult → ArchiveRef → ArticleRecord → IndexDocument,
 * and TimelineQuery → TimelineResult for the search side (src/search).
 * Types used inside one stage stay in that stage's folder.
 */

/** A link seen on a page, before anything is fetched. */
export interface DiscoveredLink {
  url: string;
  anchorText: string;
  /** Heading of the block the link stands in, e.g. "Empfehlungen der Redaktion". */
  sectionLabel?: string | undefined;
  /** Category label printed next to the link, e.g. "Regional mecklenburg vorpommern". */
  category?: string | undefined;
}

/**
 * Why a URL entered the frontier: a configured source (seed article, topic page, site search,
 * feed, sitemap), a robots.txt Sitemap line, or a link found on a fetched page.
 */
export type DiscoveryReason =
  | 'seed'
  | 'topic-page'
  | 'search'
  | 'feed'
  | 'sitemap'
  | 'robots-sitemap'
  | 'related-link'
  | 'hub-link'
  | 'feed-item'
  | 'redirect';

export interface FrontierEntry {
  url: string;
  /** Normalised URL used to fetch each page once (see canonical-url.ts). */
  canonicalKey: string;
  depth: number;
  /** URL of the page that linked here; absent for seeds. */
  via?: string | undefined;
  reason: DiscoveryReason;
  /** Relevance score of the link before fetching; higher is fetched first. */
  linkScore: number;
  /** Hub pages (topic, search, pagination) passed since the last on-topic article or source. */
  hubDepth?: number | undefined;
  /** Page number minus one within a paginated listing (0 for its first page). */
  paginationIndex?: number | undefined;
}

/** One HTTP exchange as received, redirects already followed. */
export interface FetchResult {
  requestedUrl: string;
  finalUrl: string;
  /** Every URL that answered with a redirect, in order. */
  redirects: string[];
  status: number;
  statusText: string;
  /** Response headers, names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Request headers as sent, for the archive's request record. */
  requestHeaders: Record<string, string>;
  body: Uint8Array;
  /** ISO 8601 UTC instant the response was received. */
  fetchedAt: string;
  notModified: boolean;
}

/** Where a response lives in the WARC archive; enough to cite it and read it back. */
export interface ArchiveRef {
  warcFile: string;
  offset: number;
  length: number;
  recordId: string;
  /** WARC-Payload-Digest of the response record, e.g. "sha256:…". */
  payloadDigest: string;
}

/** Where a value was found on the page. */
export type FieldSource = 'json-ld' | 'meta' | 'time-element' | 'text' | 'url' | 'markup';

export interface Sourced<T> {
  value: T;
  source: FieldSource;
}

export interface Dateline {
  /** "Schwerin/Parchim" */
  place: string;
  /** "dpa/mv" */
  agency: string;
}

export interface RelatedLink {
  url: string;
  title: string;
  sectionLabel?: string | undefined;
  category?: string | undefined;
}

export interface ImageRecord {
  src?: string | undefined;
  caption?: string | undefined;
  /** "Foto: Ole Spata/dpa" */
  credit?: string | undefined;
}

/** Everything a researcher cites from one article page. Absent fields were not on the page. */
export interface ArticleRecord {
  url: string;
  canonicalUrl: string;
  site: string;
  headline: Sourced<string>;
  kicker?: Sourced<string> | undefined;
  lead?: string | undefined;
  /** Body paragraphs in order, lead first; subheads are their own entries. */
  paragraphs: string[];
  /** ISO 8601 with the page's UTC offset, e.g. "2021-12-09T14:35:00+01:00". */
  published?: Sourced<string> | undefined;
  modified?: Sourced<string> | undefined;
  dateline?: Dateline | undefined;
  copyright?: string | undefined;
  images: ImageRecord[];
  relatedLinks: RelatedLink[];
  language?: string | undefined;
  fetchedAt: string;
  archive?: ArchiveRef | undefined;
  /** A standfirst printed apart from the body text (not in `paragraphs`). */
  teaser?: string | undefined;
  /** Indexes into `paragraphs` of the subheads. */
  subheads?: number[] | undefined;
  /** Authors as the page names them (JSON-LD author, meta author). */
  authors?: string[] | undefined;
  /** Keywords/tags the page declares. */
  tags?: string[] | undefined;
  /** The site profile that overrode generic fields, by its file name. */
  profile?: string | undefined;
}

/** Outcome of extraction: an article, or a clear reason why not. */
export type ExtractOutcome =
  | { kind: 'article'; record: ArticleRecord }
  | { kind: 'not-an-article'; url: string; reason: string };

/** The flat document stored in Meilisearch. Field names are the index's attribute names. */
export interface IndexDocument {
  id: string;
  /**
   * Story this copy belongs to: syndicated copies of one agency text share it. It is the id
   * of the story's earliest-published copy (its own id until a copy is found).
   */
  storyId: string;
  url: string;
  canonicalUrl: string;
  site: string;
  headline: string;
  kicker: string | null;
  lead: string | null;
  body: string;
  dateline: string | null;
  place: string | null;
  agency: string | null;
  /** Unix seconds; null when the page gives no date. */
  publishedAt: number | null;
  /** The published instant as the page gave it, with its offset. */
  publishedIso: string | null;
  publishedSource: FieldSource | null;
  /** Calendar buckets in Europe/Berlin: "2021-12-09", "2021-W49", "2021-12". */
  day: string | null;
  week: string | null;
  month: string | null;
  imageCaptions: string[];
  imageCredits: string[];
  /** The page's tags/keywords, normalised (see extract/generic/tags.ts); [] when it declares none (absent in documents indexed before tags existed). */
  tags?: string[] | undefined;
  /** Compound parts and transliterations for German queries (see german-terms.ts). */
  searchTerms: string;
  fetchedAt: string;
  warcFile: string | null;
  warcOffset: number | null;
  payloadDigest: string | null;
}
