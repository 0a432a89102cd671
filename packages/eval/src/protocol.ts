import type { SplitParams } from '@ser/split/params';
import type { SplitProtocol } from './metrics.ts';

/** Speakers per split, as found in the split assignment (evaluated rows and train rows). */
export interface SplitSpeakers {
  train: readonly string[];
  val: readonly string[];
  test: readonly string[];
}

/**
 * The split protocol in words and numbers. Speaker overlap is counted from the data rather than
 * inferred from `groupBy`, so a leaky actor split would show up here.
 */
export function describeProtocol(params: SplitParams, speakers: SplitSpeakers): SplitProtocol {
  const train = new Set(speakers.train);
  const shared = (list: readonly string[]) => new Set(list.filter((s) => train.has(s))).size;
  const distinct = (list: readonly string[]) => [...new Set(list)].sort();
  const { train: tr, val, test } = params.ratios;
  const speakersSharedWithTrain = { val: shared(speakers.val), test: shared(speakers.test) };
  const base =
    params.groupBy === 'actor'
      ? `actor-held-out split (seed ${params.seed}): test speakers ${distinct(speakers.test).join(', ') || 'none'}; ` +
        `val speakers ${distinct(speakers.val).join(', ') || 'none'}`
      : `random stratified split of recordings (seed ${params.seed}, train/val/test ${tr}/${val}/${test})`;
  const overlap =
    speakersSharedWithTrain.test === 0 && speakersSharedWithTrain.val === 0
      ? 'no evaluated speaker is in the training set'
      : `${speakersSharedWithTrain.test} of ${distinct(speakers.test).length} test speakers and ` +
        `${speakersSharedWithTrain.val} of ${distinct(speakers.val).length} val speakers also appear in training`;
  return {
    groupBy: params.groupBy,
    description: `${base}; ${overlap}`,
    seed: params.seed,
    ratios: params.ratios,
    speakersSharedWithTrain,
  };
}
