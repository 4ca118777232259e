import type { Config } from '../../config/schema.js';
import { deliverPending, IndexOutbox, outboxFile } from '../../index/outbox.js';
import { openSearchContext } from '../context.js';
import { EXIT, type ExitStatus } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** `chronik index --pending`: hands every document waiting in the outbox to Meilisearch. */
export async function deliverOutbox(config: Config, io: CliIo): Promise<ExitStatus> {
  const outbox = new IndexOutbox(outboxFile(config.state.dir));
  try {
    const waiting = outbox.pendingCount;
    if (waiting === 0) {
      io.stderr.write('Nothing waits in the outbox.\n');
      return EXIT.ok;
    }
    const context = await openSearchContext(config, io);
    try {
      // Documents go with their final story ids; the story-id changes of documents sent earlier
      // follow once at the end (one partial update instead of one after every batch).
      const delivered = await deliverPending(
        outbox,
        (documents) => context.index.enqueueDocuments(documents),
        undefined,
        undefined,
        () => context.index.enqueuePendingStoryIds(),
      );
      io.stderr.write(`Delivered ${delivered} document${delivered === 1 ? '' : 's'} to Meilisearch.\n`);
      return EXIT.ok;
    } finally {
      await context.close();
    }
  } finally {
    outbox.close();
  }
}
