import type { ArticleIndex, TaskWait } from './meili-client.js';
import type { StoryRegistry } from './story-registry.js';

/**
 * The article index with story grouping: documents are first registered as copies of stories,
 * then sent, then the story-id changes that the batch caused for documents already in the
 * index (Meilisearch applies tasks in order, so a change never lands before its document).
 * Emptying the index empties the registry with it.
 */
export function withStories(index: ArticleIndex, registry: StoryRegistry): ArticleIndex {
  const enqueueUpsert = async (documents: Parameters<ArticleIndex['enqueueUpsert']>[0]): Promise<TaskWait> => {
    if (documents.length === 0) return async () => undefined;
    const waitForDocuments = await index.enqueueUpsert(registry.assign(documents));
    const updates = registry.pendingUpdates(Number.MAX_SAFE_INTEGER);
    const waitForUpdates = await index.enqueueStoryIds(updates);
    return async () => {
      await waitForDocuments();
      await waitForUpdates();
      registry.acknowledgeUpdates(updates);
    };
  };
  return {
    ...index,
    enqueueUpsert,
    async upsert(documents) {
      await (await enqueueUpsert(documents))();
    },
    async deleteAllDocuments() {
      await index.deleteAllDocuments();
      registry.clear();
    },
  };
}
