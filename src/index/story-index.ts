import type { ArticleIndex } from './meili-client.js';
import type { StoryRegistry } from './story-registry.js';

/**
 * The article index with story grouping: every upsert first registers its documents as copies
 * of stories, then delivers them, then the story-id changes that the batch caused for
 * documents already in the index. Emptying the index empties the registry with it.
 */
export function withStories(index: ArticleIndex, registry: StoryRegistry): ArticleIndex {
  const deliverStoryUpdates = async (): Promise<void> => {
    for (let updates = registry.pendingUpdates(); updates.length > 0; updates = registry.pendingUpdates()) {
      await index.updateStoryIds(updates);
      registry.acknowledgeUpdates(updates);
    }
  };
  return {
    ...index,
    async upsert(documents) {
      if (documents.length === 0) return;
      await index.upsert(registry.assign(documents));
      await deliverStoryUpdates();
    },
    async deleteAllDocuments() {
      await index.deleteAllDocuments();
      registry.clear();
    },
  };
}
