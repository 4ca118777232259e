/** Exit statuses of every chronik command; the README's table cites these. */
export const EXIT = {
  ok: 0,
  /** The run could not do its job (config, Meilisearch, archive, nothing reachable). */
  failed: 1,
  /** Wrong command-line usage. */
  usage: 2,
  /** The run finished, but some sources or pages failed. */
  partial: 3,
  /** Stopped by SIGINT/SIGTERM before the crawl was done; the next `chronik crawl` resumes. */
  stopped: 4,
  /** Another crawl or update holds the run lock of the state folder; this run did nothing. */
  locked: 5,
} as const;

export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];
