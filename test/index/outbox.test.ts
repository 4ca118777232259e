import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deliverPending, IndexOutbox } from '../../src/index/outbox.js';
import type { IndexDocument } from '../../src/pipeline/types.js';

function doc(id: string, headline: string): IndexDocument {
  return { id, headline } as IndexDocument;
}

async function freshFile(): Promise<string> {
  return path.join(await mkdtemp(path.join(os.tmpdir(), 'chronik-outbox-')), 'outbox.sqlite');
}

describe('index outbox', () => {
  it('keeps queued documents across a reopen (a killed process loses nothing)', async () => {
    const file = await freshFile();
    const first = new IndexOutbox(file);
    first.put([doc('a', 'A'), doc('b', 'B')]);
    first.close();
    const second = new IndexOutbox(file);
    expect(second.pendingCount).toBe(2);
    expect(second.peek(10).map((entry) => entry.document.id)).toEqual(['a', 'b']);
    second.close();
  });

  it('keeps a newer version queued while the older one is being delivered', async () => {
    const outbox = new IndexOutbox(await freshFile());
    outbox.put([doc('a', 'old')]);
    const batch = outbox.peek(10);
    outbox.put([doc('a', 'new')]);
    outbox.acknowledge(batch);
    expect(outbox.peek(10).map((entry) => entry.document.headline)).toEqual(['new']);
    outbox.close();
  });

  it('acknowledges delivered batches and keeps the rest when delivery fails', async () => {
    const outbox = new IndexOutbox(await freshFile());
    outbox.put(['a', 'b', 'c', 'd', 'e'].map((id) => doc(id, id)));
    const delivered: string[] = [];
    let calls = 0;
    await expect(
      deliverPending(outbox, async (documents) => {
        calls += 1;
        if (calls === 2) throw new Error('Meilisearch went away');
        return async () => {
          delivered.push(...documents.map((document) => document.id));
        };
      }, 2),
    ).rejects.toThrow('went away');
    expect(delivered).toEqual(['a', 'b']);
    expect(outbox.peek(10).map((entry) => entry.document.id)).toEqual(['c', 'd', 'e']);
    expect(await deliverPending(outbox, async () => async () => undefined, 2)).toBe(3);
    expect(outbox.pendingCount).toBe(0);
    outbox.close();
  });

  it('keeps a batch whose indexing failed, and the batches after it', async () => {
    const outbox = new IndexOutbox(await freshFile());
    outbox.put(['a', 'b', 'c', 'd', 'e', 'f'].map((id) => doc(id, id)));
    let batches = 0;
    await expect(
      deliverPending(outbox, async () => {
        batches += 1;
        const failing = batches === 2;
        return async () => {
          if (failing) throw new Error('task failed');
        };
      }, 2),
    ).rejects.toThrow('task failed');
    expect(outbox.peek(10).map((entry) => entry.document.id)).toEqual(['c', 'd', 'e', 'f']);
    outbox.close();
  });
});
