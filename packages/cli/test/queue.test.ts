/** The experiment queue file: ids, claiming, finishing and removal (data/queue.json in a temporary workspace). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimNext, enqueue, finish, readQueue, removeFromQueue } from '../src/queue.ts';

const workspace = () => mkdtempSync(join(tmpdir(), 'ser-queue-'));

describe('the experiment queue', () => {
  it('removes entries by id; a later entry gets an id after the highest, not a duplicate', async () => {
    const root = workspace();
    await enqueue(root, [{ 'train.seed': 1 }, { 'train.seed': 2 }, { 'train.seed': 3 }]);
    expect((await removeFromQueue(root, ['q0002'])).map((e) => e.overrides)).toEqual([{ 'train.seed': 2 }]);
    const [added] = await enqueue(root, [{ 'train.seed': 4 }]);
    expect(added.id).toBe('q0004');
    expect(readQueue(root).map((e) => e.id)).toEqual(['q0001', 'q0003', 'q0004']);
  });

  it('refuses an unknown id, naming it and the ids there are, and leaves the queue as it was', async () => {
    const root = workspace();
    await enqueue(root, [{ 'train.seed': 1 }]);
    await expect(removeFromQueue(root, ['q0001', 'q0009'])).rejects.toThrow(/no queue entry q0009 .*entries: q0001/);
    expect(readQueue(root).map((e) => e.id)).toEqual(['q0001']);
  });

  it('refuses an entry this process is running; removes it once finished', async () => {
    const root = workspace();
    await enqueue(root, [{ 'train.seed': 1 }]);
    const running = await claimNext(root);
    await expect(removeFromQueue(root, [running!.id])).rejects.toThrow(/q0001 is running \(pid \d+\)/);
    await finish(root, running!.id, { run: 'run-1' });
    await removeFromQueue(root, ['q0001']);
    expect(readQueue(root)).toEqual([]);
  });
});
