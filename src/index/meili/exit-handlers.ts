/** Process signal and exit handlers that release an embedded connection. */
import type { MeiliConnection } from '../meili-server.js';
import { embeddedStateOf } from './embedded.js';
import { releaseAtExit } from './release.js';
import { errorText } from './util.js';

/**
 * Release the connection when the process ends: on SIGINT/SIGTERM await release() and exit with
 * 130/143 (a second signal exits at once); on plain exit do a synchronous best effort.
 * Returns a function that uninstalls the handlers. Does nothing for an external server.
 */
export function releaseOnExit(connection: MeiliConnection): () => void {
  const state = embeddedStateOf(connection);
  if (state === undefined) return () => {};
  let stopping = false;
  const onSignal = (code: number) => () => {
    if (stopping) process.exit(code);
    stopping = true;
    connection
      .release()
      .catch((error: unknown) => state.log(`Could not release Meilisearch: ${errorText(error)}`))
      .finally(() => process.exit(code));
  };
  const onSigint = onSignal(130);
  const onSigterm = onSignal(143);
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
