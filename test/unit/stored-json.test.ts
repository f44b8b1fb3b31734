import { describe, expect, it } from 'vitest';
import { PreconditionFailedError } from '../../functions/domain/ports/blob-store.ts';
import { RETRY_POLICIES, readJson, updateJson } from '../../functions/app/stored-json.ts';
import { MemoryBlobStore } from '../support/memory-blob-store.ts';

const noSleep = async () => {};

describe('updateJson: read-change-write by If-Match', () => {
  it('creates the document from its empty value and changes it in place after', async () => {
    const store = new MemoryBlobStore();
    const policy = RETRY_POLICIES.dayIndex;
    await updateJson(store, 'doc.json', { empty: { n: 0 }, change: (d) => ({ n: d.n + 1 }), policy });
    await updateJson(store, 'doc.json', { empty: { n: 0 }, change: (d) => ({ n: d.n + 1 }), policy });
    expect((await readJson<{ n: number }>(store, 'doc.json'))?.value).toEqual({ n: 2 });
  });

  it('keeps a rival writer’s change: a lost race re-reads and applies the change to the newer document', async () => {
    const store = new MemoryBlobStore();
    await store.put('doc.json', JSON.stringify({ names: ['first'] }), { contentType: 'application/json' });
    let rivals = 2;
    store.beforeConditionalPut = async () => {
      if (rivals-- > 0) await store.put('doc.json', JSON.stringify({ names: [...((await readJson<{ names: string[] }>(store, 'doc.json'))?.value.names ?? []), `rival${rivals}`] }), { contentType: 'application/json' });
    };
    const sleeps: number[] = [];
    await updateJson(store, 'doc.json', { empty: { names: [] as string[] }, change: (d) => ({ names: [...d.names, 'mine'] }), policy: RETRY_POLICIES.enrichment, sleep: async (ms) => void sleeps.push(ms) });
    expect((await readJson<{ names: string[] }>(store, 'doc.json'))?.value.names).toEqual(['first', 'rival1', 'rival0', 'mine']);
    // Two lost races, two jittered pauses under the policy's doubling ceiling.
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeLessThan(RETRY_POLICIES.enrichment.baseMs);
    expect(sleeps[1]).toBeLessThan(RETRY_POLICIES.enrichment.baseMs * 2);
  });

  it('writes nothing when the change returns the same document', async () => {
    const store = new MemoryBlobStore();
    await updateJson(store, 'doc.json', { empty: { n: 0 }, change: (d) => d, policy: RETRY_POLICIES.dayIndex });
    expect(await store.exists('doc.json')).toBe(false);
  });

  it('gives up after the policy’s attempts with the conflict, not a hang', async () => {
    const store = new MemoryBlobStore();
    store.beforeConditionalPut = async (key) => void (await store.put(key, String(Math.random()), { contentType: 'application/json' }));
    let tries = 0;
    const policy = { attempts: 3, baseMs: 1, maxDoublings: 1 };
    await expect(updateJson(store, 'doc.json', { empty: 0, change: (n) => (tries++, n + 1), policy, sleep: noSleep })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(tries).toBe(3);
  });
});
