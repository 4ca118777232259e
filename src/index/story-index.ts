import type { ArticleIndex, TaskWait } from './meili-client.js';
import type { StoryRegistry } from './story-registry.js';

/** The article index with story grouping (see `withStories`). */
export interface StoryIndex extends ArticleIndex {
  /**
   * Sends documents with their final story ids, but not the story-id changes the batch caused
   * for documents sent earlier: those wait in the registry for `enqueuePendingStoryIds`. A bulk
   * delivery sends them once at its end, so Meilisearch is not made to run a separate small
   * indexing batch (a partial update cannot join an addition's batch) after every batch.
   */
  enqueueDocuments(documents: Parameters<ArticleIndex['enqueueUpsert']>[0]): Promise<TaskWait>;
  /** Sends the waiting story-id changes (a partial update); they leave the registry once applied. */
  enqueuePendingStoryIds(): Promise<TaskWait>;
}

/**
 * The article index with story grouping: documents are first registered as copies of stories,
 * then sent, then the story-id changes that the batch caused for documents already in the
 * index (Meilisearch applies tasks in order, so a change never lands before its document).
 * Emptying the index empties the registry with it.
 */
export function withStories(index: ArticleIndex, registry: StoryRegistry): StoryIndex {
  const enqueueDocuments = async (documents: Parameters<ArticleIndex['enqueueUpsert']>[0]): Promise<TaskWait> => {
    if (documents.length === 0) return async () => undefined;
    return index.enqueueUpsert(registry.assign(documents));
  };
  const enqueuePendingStoryIds = async (): Promise<TaskWait> => {
    const updates = registry.pendingUpdates(Number.MAX_SAFE_INTEGER);
    const waitForUpdates = await index.enqueueStoryIds(updates);
    return async () => {
      await waitForUpdates();
      registry.acknowledgeUpdates(updates);
    };
  };
  const enqueueUpsert = async (documents: Parameters<ArticleIndex['enqueueUpsert']>[0]): Promise<TaskWait> => {
    if (documents.length === 0) return async () => undefined;
    const waitForDocuments = await enqueueDocuments(documents);
    const waitForUpdates = await enqueuePendingStoryIds();
    return async () => {
      await waitForDocuments();
      await waitForUpdates();
    };
  };
  return {
    ...index,
    enqueueUpsert,
    enqueueDocuments,
    enqueuePendingStoryIds,
    async upsert(documents) {
      await (await enqueueUpsert(documents))();
    },
    async deleteAllDocuments() {
      await index.deleteAllDocuments();
      registry.clear();
    },
  };
}
