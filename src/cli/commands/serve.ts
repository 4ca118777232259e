import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArticleIndex } from '../../index/meili-client.js';
import { createApp, listen } from '../../server/app.js';
import type { CliIo } from '../io.js';

/** web/ sits at the project root, two levels above src/cli/commands (three from dist). */
export function webDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const fromSource = path.resolve(here, '../../../web');
  const fromDist = path.resolve(here, '../../../../web');
  return here.includes(`${path.sep}dist${path.sep}`) ? fromDist : fromSource;
}

export interface ServeOptions {
  /** Folder of the WARC files: enables the archived copy of each article. */
  archiveDir?: string | undefined;
}

/** Serves the timeline page and API until the process is stopped. */
export async function serveTimeline(index: ArticleIndex, io: CliIo, host: string, port: number, options: ServeOptions = {}): Promise<void> {
  const { server, url } = await listen(createApp({ index, webDir: webDir(), archiveDir: options.archiveDir }), host, port);
  io.stderr.write(`Timeline at ${url}  (Ctrl-C stops)\n`);
  try {
    await io.untilStopped();
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
