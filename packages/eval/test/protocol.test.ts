import { splitParams } from '@ser/split/params';
import { describe, expect, it } from 'vitest';
import { describeProtocol } from '../src/protocol.ts';

describe('describeProtocol', () => {
  it('states an actor-held-out split and counts no shared speakers', () => {
    const p = describeProtocol(splitParams.parse({ groupBy: 'actor', seed: 7 }), [
      {
        train: ['01', '02', '03', '04'],
        val: ['05', '05', '06'],
        test: ['08', '07'],
      },
    ]);
    expect(p.groupBy).toBe('actor');
    expect(p.speakersSharedWithTrain).toEqual({ val: 0, test: 0 });
    expect(p.description).toBe('actor-held-out split (seed 7): test speakers 07, 08; val speakers 05, 06; no evaluated speaker is in the training set');
  });

  it('reports speaker overlap of a random recording split, counted from the data', () => {
    const p = describeProtocol(splitParams.parse({}), [{ train: ['01', '02'], val: ['01'], test: ['01', '02', '03'] }]);
    expect(p.speakersSharedWithTrain).toEqual({ val: 1, test: 2 });
    expect(p.description).toBe(
      'random stratified split of recordings (seed 42, train/val/test 0.8/0.1/0.1); 2 of 3 test speakers and 1 of 1 val speakers also appear in training',
    );
  });

  it('states a cross-validation protocol with the test speakers of each fold, and the largest overlap of any fold', () => {
    const params = splitParams.parse({ protocol: 'actor-kfold', folds: 2, valActors: 1 });
    const clean = describeProtocol(params, [
      { train: ['03'], val: ['04'], test: ['01', '02'] },
      { train: ['01'], val: ['02'], test: ['03', '04'] },
    ]);
    expect(clean).toMatchObject({ name: 'actor-kfold', folds: 2, speakersSharedWithTrain: { val: 0, test: 0 } });
    expect(clean.description).toBe(
      '2-fold actor cross-validation (seed 42, 1 validation speakers per fold taken from the training side): test speakers by fold 1: 01 02; 2: 03 04; no evaluated speaker is in the training set of its fold',
    );
    const leaky = describeProtocol(params, [
      { train: ['03', '01'], val: ['04'], test: ['01', '02'] },
      { train: ['01'], val: ['02'], test: ['03', '04'] },
    ]);
    expect(leaky.speakersSharedWithTrain).toEqual({ val: 0, test: 1 });
  });

  it('states a screen as the first folds of its partition', () => {
    const params = splitParams.parse({ protocol: 'actor-kfold', folds: 3, valActors: 1, screenFolds: 2 });
    const p = describeProtocol(params, [
      { train: ['03', '04', '05', '06'], val: ['02'], test: ['01'] },
      { train: ['01', '04', '05', '06'], val: ['03'], test: ['02'] },
    ]);
    expect(p).toMatchObject({ folds: 2, partitionFolds: 3 });
    expect(p.description).toMatch(/^the first 2 folds \(a screen\) of 3-fold actor cross-validation \(seed 42, 1 validation speakers/);
    const loso = describeProtocol(splitParams.parse({ protocol: 'loso', valActors: 1, screenFolds: 2 }), [
      { train: ['03'], val: ['02'], test: ['01'] },
      { train: ['01'], val: ['03'], test: ['02'] },
    ]);
    expect(loso).toMatchObject({ folds: 2, partitionFolds: 3 });
    expect(loso.description).toMatch(/^the first 2 folds \(a screen\) of leave-one-speaker-out cross-validation \(3 folds/);
  });
});
