/** Speaker-independent folds on a RAVDESS-like set of 20 actors (odd male, even female). */
import { describe, expect, it } from 'vitest';
import { makeFolds } from '../src/folds.ts';
import { foldCount, splitParams } from '../src/params.ts';
import { ravdessRecordings } from './helpers.ts';

const records = ravdessRecordings();
const params = (raw: object) => splitParams.parse(raw);
const gender = (speaker: string) => (Number(speaker) % 2 ? 'male' : 'female');

describe('actor k-fold', () => {
  const folds = makeFolds(records, params({ protocol: 'actor-kfold', folds: 5 }));

  it('tests every speaker in exactly one fold, four per fold, two of each gender', () => {
    expect(folds).toHaveLength(5);
    const tested = folds.flatMap((f) => f.actors.test);
    expect(tested.sort()).toEqual([...new Set(records.map((r) => r.speaker))].sort());
    for (const f of folds) {
      expect(f.actors.test).toHaveLength(4);
      expect(f.actors.test.filter((s) => gender(s) === 'male')).toHaveLength(2);
    }
  });

  it('validates on two speakers of the training side, one of each gender, and gives no speaker two roles in a fold', () => {
    for (const f of folds) {
      expect(f.actors.val.map(gender).sort()).toEqual(['female', 'male']);
      expect(f.actors.train).toHaveLength(14);
      const roles = new Map<string, Set<string>>();
      records.forEach((r, i) => roles.set(r.speaker, (roles.get(r.speaker) ?? new Set()).add(f.split[i])));
      expect([...roles.values()].every((set) => set.size === 1)).toBe(true);
    }
  });

  it('is seeded', () => {
    expect(makeFolds(records, params({ protocol: 'actor-kfold', folds: 5 }))).toEqual(folds);
    expect(makeFolds(records, params({ protocol: 'actor-kfold', folds: 5, seed: 7 })).map((f) => f.actors.test)).not.toEqual(folds.map((f) => f.actors.test));
  });

  it('screens on the first folds of the same partition, and names the key when there are not that many', () => {
    const screen = makeFolds(records, params({ protocol: 'actor-kfold', folds: 5, screenFolds: 2 }));
    expect(screen).toEqual(folds.slice(0, 2));
    expect(foldCount(params({ protocol: 'actor-kfold', folds: 5, screenFolds: 2 }), 20)).toBe(2);
    expect(foldCount(params({ protocol: 'loso', screenFolds: 3 }), 20)).toBe(3);
    expect(() => makeFolds(records, params({ protocol: 'actor-kfold', folds: 5, screenFolds: 6 }))).toThrow(
      'split.screenFolds is 6, but the split has only 5 folds: a screen runs some of them',
    );
    expect(() => params({ screenFolds: 2 })).toThrow(/screenFolds.*not a holdout split/s);
    expect(() => params({ protocol: 'actor-kfold', screenFolds: 1 })).toThrow(/screenFolds/);
  });

  it('takes explicit folds (as EmoBox publishes them) and names what is wrong with a list', () => {
    const lists = [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
      [13, 14, 15, 16],
      ['17', '18', '19', '20'],
    ];
    const explicit = makeFolds(records, params({ protocol: 'actor-kfold', foldActors: lists }));
    expect(explicit.map((f) => f.actors.test)).toEqual(lists.map((l) => l.map((a) => String(a).padStart(2, '0'))));
    expect(() => makeFolds(records, params({ protocol: 'actor-kfold', foldActors: [[1, 2], [3]] }))).toThrow(/actors 04, .*, 20 are in no fold/);
    expect(() => makeFolds(records, params({ protocol: 'actor-kfold', foldActors: [[1, 99], lists.flat().slice(1)] }))).toThrow(
      /foldActors\[0\]: actor 99 is not in the dataset/,
    );
    expect(() => makeFolds(records, params({ protocol: 'actor-kfold', foldActors: [[1, 2], lists.flat()] }))).toThrow(/actor 1 is in folds 1 and 2/);
  });

  it('refuses more folds than speakers, and a validation set that would leave nobody to train on', () => {
    const four = records.filter((r) => ['01', '02', '03', '04'].includes(r.speaker));
    expect(() => makeFolds(four, params({ protocol: 'actor-kfold', folds: 5 }))).toThrow(/split.folds is 5, but the dataset has only 4 speaker/);
    expect(() => makeFolds(four, params({ protocol: 'actor-kfold', folds: 2, valActors: 2 }))).toThrow(/split.valActors is 2, but fold 1 leaves only 2/);
    const two = makeFolds(four, params({ protocol: 'actor-kfold', folds: 2, valActors: 1 }));
    expect(two.map((f) => [f.actors.test.length, f.actors.val.length, f.actors.train.length])).toEqual([
      [2, 1, 1],
      [2, 1, 1],
    ]);
  });
});

describe('leave one speaker out', () => {
  it('makes one fold per speaker, and says how many the params make', () => {
    const four = records.filter((r) => ['01', '02', '03', '04'].includes(r.speaker));
    const folds = makeFolds(four, params({ protocol: 'loso', valActors: 1 }));
    expect(folds.map((f) => f.actors.test)).toEqual([['01'], ['02'], ['03'], ['04']]);
    expect(folds.every((f) => f.actors.val.length === 1 && !f.actors.val.includes(f.actors.test[0]))).toBe(true);
    expect(foldCount(params({ protocol: 'loso' }), 4)).toBe(4);
    expect(foldCount(params({ protocol: 'actor-kfold', folds: 3 }), 20)).toBe(3);
    expect(foldCount(params({}), 20)).toBe(1);
  });

  it('refuses speakers that share a recording', () => {
    const shared = records
      .filter((r) => ['01', '02', '03'].includes(r.speaker))
      .map((r) => (r.speaker === '02' && r.label_index === 0 ? { ...r, sha256: records[0].sha256 } : r));
    expect(() => makeFolds(shared, params({ protocol: 'loso', valActors: 1 }))).toThrow(/speakers 01 and 02 share a recording/);
  });
});

describe('holdout', () => {
  it('is one fold: the stratified split', () => {
    const [fold, ...rest] = makeFolds(records, params({}));
    expect(rest).toEqual([]);
    expect(fold.split.filter((s) => s === 'test')).toHaveLength(120);
  });
});
