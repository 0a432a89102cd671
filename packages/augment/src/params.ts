/** Params of the augment stage (its `params:` block in pipeline.yaml), defaults at each key. */
import { z } from 'zod';
import { range } from '@ser/core/schema';

export const augmentParams = z
  .object({
    seed: z.number().int().default(42),
    noise: z
      .object({ count: z.number().int().nonnegative().default(1), snrDb: range.default([15, 30]) })
      .strict()
      .default({ count: 1, snrDb: [15, 30] }),
    pitchShift: z
      .object({ count: z.number().int().nonnegative().default(1), semitones: range.default([-3, 3]) })
      .strict()
      .default({ count: 1, semitones: [-3, 3] }),
    timeStretch: z
      .object({
        count: z.number().int().nonnegative().default(1),
        rate: range.refine(([lo]) => lo > 0, { message: 'rates must be > 0' }).default([0.8, 1.25]),
      })
      .strict()
      .default({ count: 1, rate: [0.8, 1.25] }),
    /** Speed perturbation (speed.ts; Ko et al. 2015 used 0.9, 1.0 and 1.1): tempo and pitch moved together
     *  by one factor. Off by default (count 0), so the original project's variants stay as they were. */
    speed: z
      .object({
        count: z.number().int().nonnegative().default(0),
        factor: range.refine(([lo]) => lo > 0, { message: 'factors must be > 0' }).default([0.9, 1.1]),
      })
      .strict()
      .default({ count: 0, factor: [0.9, 1.1] }),
  })
  .strict();

export type AugmentParams = z.infer<typeof augmentParams>;
