import { describe, expect, it } from 'vitest';
import type { WorkerPool } from '@ser/core';
import { melParams } from '@ser/features/params';
import { augmentParams } from '../src/params.ts';
import { augmentClip } from '../src/augment.ts';
import { augmentAll, type ClipResult } from '../src/batch.ts';

describe('augmentAll', () => {
  it('hands back every clip once, in place, and reports failures by id', async () => {
    const ids = ['a', 'bad', 'c', 'd', 'e'];
    const lengths = [4000, 3000, 5000, 2500, 4500];
    const offsets = Int32Array.from(lengths.reduce((o, n) => [...o, o[o.length - 1] + n], [0]));
    const data = Float32Array.from({ length: offsets[ids.length] }, (_, i) => Math.sin(i * 0.01));
    const params = augmentParams.parse({ pitchShift: { count: 0, semitones: [0, 0] } });
    const mel = melParams.parse({ frames: 8 });
    const lengthsSeen: number[] = [];
    // An in-process pool with two slots that finishes calls out of order.
    const pool: WorkerPool = {
      size: 2,
      async call<T>(_fn: string, args: unknown[]) {
        const [id, clip] = args as [string, Float32Array];
        lengthsSeen.push(clip.length);
        await new Promise((r) => setTimeout(r, id === 'a' ? 30 : 1));
        if (id === 'bad') throw new Error('boom');
        return augmentClip(...(args as Parameters<typeof augmentClip>)) as T;
      },
      close: async () => {},
    };
    const got = new Map<number, ClipResult>();
    const errors: string[] = [];
    await augmentAll(pool, ids, { data, offsets }, 22050, params, mel, {
      result: (i, r) => (expect(got.has(i)).toBe(false), got.set(i, r)),
      error: (id, e) => errors.push(`${id}: ${e.message}`),
    });
    expect(errors).toEqual(['bad: boom']);
    expect([...got.keys()].sort()).toEqual([0, 2, 3, 4]);
    expect(lengthsSeen.sort((x, y) => x - y)).toEqual([...lengths].sort((x, y) => x - y));
    const direct = augmentClip('c', data.slice(offsets[2], offsets[3]), 22050, params, mel);
    expect(got.get(2)!.logmel).toEqual(direct.logmel);
  });
});
