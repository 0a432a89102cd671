/** Params of the split stage (its `params:` block in pipeline.yaml), defaults at each key. */
import { z } from 'zod';
import { positiveInt } from '@ser/core/schema';

/** Actors by RAVDESS number or CSV speaker id ("01" and 1 name the same actor). */
const actorList = z.array(z.union([z.number().int(), z.string()]));

export const splitParams = z
  .object({
    /**
     * holdout: one train/val/test split (below: ratios, groupBy, actors).
     * actor-kfold: `folds` folds of whole actors, balanced by gender as far as the actors allow; each
     * fold's test set is its actors, its validation set `valActors` actors of the other folds.
     * loso: leave one speaker out: one fold per speaker.
     */
    protocol: z.enum(['holdout', 'actor-kfold', 'loso']).default('holdout'),
    seed: z.number().int().default(42),
    /** holdout: shares of train / validation / test; must sum to 1. */
    ratios: z
      .object({ train: z.number().min(0), val: z.number().min(0), test: z.number().min(0) })
      .strict()
      .refine((r) => Math.abs(r.train + r.val + r.test - 1) < 1e-9, { message: 'ratios must sum to 1' })
      .default({ train: 0.8, val: 0.1, test: 0.1 }),
    /** holdout: recording = random stratified split of recordings; actor = whole speakers per split. */
    groupBy: z.enum(['recording', 'actor']).default('recording'),
    /** holdout with groupBy actor: explicit actor lists (any split left out is filled by the ratios). */
    actors: z.object({ train: actorList.optional(), val: actorList.optional(), test: actorList.optional() }).strict().default({}),
    /** actor-kfold: the number of folds (ignored when foldActors is given). */
    folds: positiveInt.min(2).default(5),
    /** actor-kfold: explicit folds, each the list of its test actors (e.g. EmoBox's published folds); every actor in exactly one. */
    foldActors: z.array(actorList.min(1)).min(2).optional(),
    /** actor-kfold and loso: validation actors per fold, taken from the training side (alternating genders). */
    valActors: z.number().int().nonnegative().default(2),
    /**
     * actor-kfold and loso: run only the first `screenFolds` folds of the partition (a cheap screen of
     * a lever). They are the same folds, with the same speakers in each role, as those of the full
     * cross-validation, so `ser exp diff` pairs a screen with a full run over the folds both scored.
     * Unset (default): every fold.
     */
    screenFolds: positiveInt.min(2).optional(),
  })
  .strict()
  .refine((p) => p.screenFolds === undefined || p.protocol !== 'holdout', {
    message: 'a screen is for cross-validation (protocol actor-kfold or loso), not a holdout split',
    path: ['screenFolds'],
  });

export type SplitParams = z.infer<typeof splitParams>;

/** How many folds the params partition these speakers into: 1 (holdout), `folds` or its explicit lists, or one per speaker. */
export function partitionFoldCount(params: SplitParams, speakers: number): number {
  if (params.protocol === 'holdout') return 1;
  if (params.protocol === 'loso') return speakers;
  return params.foldActors?.length ?? params.folds;
}

/** How many folds run: the partition's, or its first `screenFolds`. */
export function foldCount(params: SplitParams, speakers: number): number {
  const partition = partitionFoldCount(params, speakers);
  if (params.screenFolds === undefined) return partition;
  if (params.screenFolds > partition)
    throw new Error(`split.screenFolds is ${params.screenFolds}, but the split has only ${partition} folds: a screen runs some of them`);
  return params.screenFolds;
}
