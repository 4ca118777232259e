/** Process signal and exit handlers that release an embedded connection. */
import type { MeiliConnection } from '../meili-server.js';
import { embeddedStateOf } from './embedded.js';
import { releaseAtExit } from './release.js';
import { errorText } from './util.js';

/**
 * Release the connection when the process ends: on SIGINT/SIGTERM await release() and exit with
 * 130/143 (a second signal exits at once), unless the process has another handler for that
 * signal; on plain exit do a synchronous best effort.
 * Returns a function that uninstalls the handlers. Does nothing for an external server.
 */
export function releaseOnExit(connection: MeiliConnection): () => void {
  const state = embeddedStateOf(connection);
  if (state === undefined) return () => {};
  let stopping = false;
  const onSignal = (code: number, signal: NodeJS.Signals) => () => {
    // A command with its own handler (a crawl stopping gracefully) releases the connection
    // itself when it is done; exiting here would cut that short. The exit handler still runs.
    if (process.listenerCount(signal) > 1) return;
    if (stopping) process.exit(code);
    stopping = true;
    connection
      .release()
      .catch((error: unknown) => state.log(`Could not release Meilisearch: ${errorText(error)}`))
      .finally(() => process.exit(code));
  };
  const onSigint = onSignal(130, 'SIGINT');
  const onSigterm = onSignal(143, 'SIGTERM');
  const onExit = () => releaseAtExit(state);
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.on('exit', onExit);
  return () => {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.off('exit', onExit);
  };
}
