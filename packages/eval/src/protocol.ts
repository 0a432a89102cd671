/** The split protocol of an evaluation, in words and numbers, counted from the data. */
import { partitionFoldCount, type SplitParams } from '@ser/split/params';
import type { SplitProtocol } from './metrics.ts';

/** Speakers per role in one fold, as found in the split assignment. */
export interface SplitSpeakers {
  train: readonly string[];
  val: readonly string[];
  test: readonly string[];
}

const distinct = (list: readonly string[]) => [...new Set(list)].sort();

/**
 * The protocol of `params` over its folds' speakers (one entry for a holdout split). Speaker
 * overlap is counted from the data rather than inferred from the params, so a leaky split would
 * show up here: for cross-validation it is the largest overlap of any fold.
 */
export function describeProtocol(params: SplitParams, folds: readonly SplitSpeakers[]): SplitProtocol {
  const shared = (fold: SplitSpeakers, role: 'val' | 'test') => {
    const train = new Set(fold.train);
    return distinct(fold[role]).filter((s) => train.has(s)).length;
  };
  // A screen (split.screenFolds) runs the first folds of this partition; loso's has a fold per speaker.
  const partition = partitionFoldCount(params, distinct(folds.flatMap((f) => [...f.train, ...f.val, ...f.test])).length);
  const speakersSharedWithTrain = {
    val: Math.max(0, ...folds.map((f) => shared(f, 'val'))),
    test: Math.max(0, ...folds.map((f) => shared(f, 'test'))),
  };
  let description: string;
  if (params.protocol === 'holdout') {
    const [fold] = folds;
    const { train: tr, val, test } = params.ratios;
    const base =
      params.groupBy === 'actor'
        ? `actor-held-out split (seed ${params.seed}): test speakers ${distinct(fold.test).join(', ') || 'none'}; val speakers ${distinct(fold.val).join(', ') || 'none'}`
        : `random stratified split of recordings (seed ${params.seed}, train/val/test ${tr}/${val}/${test})`;
    const overlap =
      speakersSharedWithTrain.test === 0 && speakersSharedWithTrain.val === 0
        ? 'no evaluated speaker is in the training set'
        : `${speakersSharedWithTrain.test} of ${distinct(fold.test).length} test speakers and ${speakersSharedWithTrain.val} of ${distinct(fold.val).length} val speakers also appear in training`;
    description = `${base}; ${overlap}`;
  } else {
    const screen = folds.length < partition ? `the first ${folds.length} folds (a screen) of ` : '';
    const kind =
      params.protocol === 'loso'
        ? `${screen}leave-one-speaker-out cross-validation (${partition} folds`
        : `${screen}${partition}-fold actor cross-validation (seed ${params.seed}`;
    const overlap =
      speakersSharedWithTrain.test === 0 && speakersSharedWithTrain.val === 0
        ? 'no evaluated speaker is in the training set of its fold'
        : `up to ${speakersSharedWithTrain.test} test and ${speakersSharedWithTrain.val} val speakers of a fold also appear in its training set`;
    description = `${kind}, ${params.valActors} validation speakers per fold taken from the training side): test speakers by fold ${folds.map((f, k) => `${k + 1}: ${distinct(f.test).join(' ')}`).join('; ')}; ${overlap}`;
  }
  return {
    name: params.protocol,
    groupBy: params.groupBy,
    description,
    seed: params.seed,
    folds: folds.length,
    partitionFolds: partition,
    ratios: params.ratios,
    speakersSharedWithTrain,
  };
}
