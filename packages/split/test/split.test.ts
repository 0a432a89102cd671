import { describe, expect, it } from 'vitest';
import { readNumbers, readStrings } from '@ser/core';
import { roleOf, rowsByRole } from '../src/join.ts';
import { splitParams } from '../src/params.ts';
import { apportion, SPLITS, stratifiedSplit } from '../src/split.ts';
import { stage as splitStage } from '../src/stage.ts';
import { memoryStageContext } from '@ser/core/testing';
import { ravdessRecordings, recordingsTable } from './helpers.ts';

const records = ravdessRecordings();
const params = (raw: object = {}) => splitParams.parse(raw);

/** Splits that hold each value of `key`; a leak is a value seen in more than one split. */
function splitsPer(key: (i: number) => string, split: string[]): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>();
  split.forEach((s, i) => seen.set(key(i), (seen.get(key(i)) ?? new Set()).add(s)));
  return seen;
}

describe('apportion', () => {
  it('gives floor or ceiling of each exact share and the exact total', () => {
    for (const total of [0, 1, 7, 96, 191, 1200]) {
      const parts = apportion(total, [0.8, 0.1, 0.1]);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      parts.forEach((p, k) => expect(Math.abs(p - total * [0.8, 0.1, 0.1][k])).toBeLessThan(1));
    }
  });
});

describe('stratifiedSplit by recording', () => {
  const { split } = stratifiedSplit(records, params());

  it('keeps identical recordings (same sha256) in one split', () => {
    const leaks = [...splitsPer((i) => records[i].sha256, split)].filter(([, s]) => s.size > 1);
    expect(leaks).toEqual([]);
    const pair = records.filter((r) => r.id.includes('03-01-03-01-02-0') && r.speaker === '07').map((r) => split[records.indexOf(r)]);
    expect(pair).toHaveLength(2);
    expect(pair[0]).toBe(pair[1]);
  });

  it('puts per-class counts within one of the exact 80/10/10 share', () => {
    for (let label = 0; label < 8; label++) {
      const n = records.filter((r) => r.label_index === label).length;
      SPLITS.forEach((s, k) => {
        const got = records.filter((r, i) => r.label_index === label && split[i] === s).length;
        expect(Math.abs(got - n * [0.8, 0.1, 0.1][k]), `class ${label} ${s}`).toBeLessThan(1);
      });
    }
  });

  it('is seeded: same seed same split, other seed another', () => {
    expect(stratifiedSplit(records, params()).split).toEqual(split);
    expect(stratifiedSplit([...records].reverse(), params()).split.reverse()).toEqual(split);
    expect(stratifiedSplit(records, params({ seed: 7 })).split).not.toEqual(split);
  });
});

describe('stratifiedSplit by actor', () => {
  it('holds whole actors out, close to the ratios', () => {
    const { split, actors } = stratifiedSplit(records, params({ groupBy: 'actor' }));
    expect([...splitsPer((i) => records[i].speaker, split)].filter(([, s]) => s.size > 1)).toEqual([]);
    expect(SPLITS.map((s) => actors![s].length)).toEqual([16, 2, 2]);
    expect(stratifiedSplit(records, params({ groupBy: 'actor', seed: 1 })).actors).not.toEqual(actors);
  });

  it('leaves no split empty when there are at least as many actors as splits', () => {
    const four = records.filter((r) => ['01', '02', '03', '07'].includes(r.speaker));
    for (const seed of [1, 2, 3]) {
      const { actors } = stratifiedSplit(four, params({ groupBy: 'actor', seed }));
      expect(SPLITS.map((s) => actors![s].length)).toEqual([2, 1, 1]);
    }
  });

  it('honours explicit actor lists and fills the rest by the ratios', () => {
    const { actors } = stratifiedSplit(records, params({ groupBy: 'actor', actors: { test: [1, '02'], val: [3] } }));
    expect(actors!.test).toEqual(['01', '02']);
    expect(actors!.val).toEqual(['03']);
    expect(actors!.train).toHaveLength(17);
  });

  it('rejects unknown or doubly listed actors, naming the key', () => {
    expect(() => stratifiedSplit(records, params({ groupBy: 'actor', actors: { test: [99] } }))).toThrow(/split\.actors\.test: actor 99/);
    expect(() => stratifiedSplit(records, params({ groupBy: 'actor', actors: { test: [1], val: [1] } }))).toThrow(/actor 1 is listed in both val and test/);
  });
});

describe('split stage and the join by recording id', () => {
  // Mel tensors for every recording, two augmented variants each.
  const melIds = records.map((r) => r.id);
  const augIds = records.flatMap((r) => [`${r.id}#noise0`, `${r.id}#pitch0`]);
  const augSources = augIds.map((id) => id.split('#')[0]);
  const run = (raw: object, fold = { index: 1, count: 1 }) => {
    const mem = memoryStageContext({
      stage: fold.count > 1 ? `split.fold${fold.index}` : 'split',
      params: params(raw),
      fold,
      upstream: { ingest: { tables: { recordings: recordingsTable(records) } } },
    });
    return splitStage.run(mem.ctx).then(() => mem);
  };

  for (const groupBy of ['recording', 'actor'] as const) {
    it(`leaks nothing into training (groupBy ${groupBy})`, async () => {
      const { tables: out, ctx } = await run({ groupBy });
      const t = out.assignment;
      expect(readStrings(t, 'id')).toEqual(records.map((r) => r.id));
      expect(readNumbers(t, 'label_index')).toEqual(records.map((r) => r.label_index));
      const roles = roleOf(t);
      const { mel, augmentTrain, unassigned } = rowsByRole(roles, melIds, augSources);
      expect(unassigned).toEqual([]);
      expect(SPLITS.reduce((n, s) => n + mel[s].length, 0)).toBe(records.length);
      // No augmented variant of a validation or test recording in training, nor anywhere else.
      for (const row of augmentTrain) expect(roles.get(augSources[row])).toBe('train');
      // Every training recording brings its variants.
      expect(augmentTrain).toHaveLength(2 * mel.train.length);
      // No content hash, and with groupBy actor no speaker, in two roles.
      const roleOfRecord = (k: number) => roles.get(records[k].id)!;
      const split = records.map((_, k) => roleOfRecord(k));
      expect([...splitsPer((k) => records[k].sha256, split)].filter(([, s]) => s.size > 1)).toEqual([]);
      if (groupBy === 'actor') {
        expect([...splitsPer((k) => records[k].speaker, split)].filter(([, s]) => s.size > 1)).toEqual([]);
        expect(ctx.summary.protocol).toBe('actor-held-out');
      } else expect(ctx.summary.protocol).toBe('random');
      const fold = ctx.summary as { actors: Record<string, string[]>; classCounts: Record<string, Record<string, number>> };
      expect(fold.actors.test.length).toBeGreaterThan(0);
      const counts = fold.classCounts;
      expect(SPLITS.reduce((n, s) => n + Object.values(counts[s]).reduce((a, b) => a + b, 0), 0)).toBe(records.length);
    });
  }

  it("each fold task writes its own fold's roles, and a screen's fold tasks write the full cross-validation's bytes", async () => {
    const cv = { protocol: 'actor-kfold', folds: 5 };
    const folds = await Promise.all([1, 2, 3, 4, 5].map((index) => run(cv, { index, count: 5 })));
    const testSpeakers = folds.map(({ tables }) => {
      const speakers = readStrings(tables.assignment, 'speaker');
      return [...roleOf(tables.assignment)].flatMap(([, role], i) => (role === 'test' ? [speakers[i]] : []));
    });
    // Every recording is tested in exactly one fold.
    expect(testSpeakers.flat()).toHaveLength(records.length);
    expect(new Set(testSpeakers.flat()).size).toBe(new Set(records.map((r) => r.speaker)).size);
    for (const [k, fold] of folds.entries()) expect(fold.ctx.summary).toMatchObject({ protocol: 'actor-kfold', fold: k + 1 });
    const screen = await Promise.all([1, 2].map((index) => run({ ...cv, screenFolds: 2 }, { index, count: 5 })));
    expect(screen.map((f) => f.files.assignment)).toEqual(folds.slice(0, 2).map((f) => f.files.assignment));
  });

  it('lists tensors whose recording has no role (kept out of every role) and recordings without a tensor', () => {
    const roles = new Map([
      ['a', 'train' as const],
      ['c', 'test' as const],
    ]);
    const { mel, augmentTrain, unassigned, withoutTensor } = rowsByRole(roles, ['a', 'b'], ['a', 'b', 'b']);
    expect(mel.train).toEqual([0]);
    expect(unassigned).toEqual(['b']);
    expect(augmentTrain).toEqual([0]);
    expect(withoutTensor).toEqual({ train: [], val: [], test: ['c'] });
  });
});
