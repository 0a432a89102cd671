/** Params of the split stage (its `params:` block in pipeline.yaml), defaults at each key. */
import { z } from 'zod';

const actorList = z.array(z.union([z.number().int(), z.string()]));

export const splitParams = z
  .object({
    seed: z.number().int().default(42),
    /** Shares of train / validation / test; must sum to 1. */
    ratios: z
      .object({ train: z.number().min(0), val: z.number().min(0), test: z.number().min(0) })
      .strict()
      .refine((r) => Math.abs(r.train + r.val + r.test - 1) < 1e-9, { message: 'ratios must sum to 1' })
      .default({ train: 0.8, val: 0.1, test: 0.1 }),
    /** recording: random stratified split of recordings; actor: whole speakers per split. */
    groupBy: z.enum(['recording', 'actor']).default('recording'),
    /** With groupBy: actor, explicit actor lists (any split left out is filled by the ratios). */
    actors: z
      .object({ train: actorList.optional(), val: actorList.optional(), test: actorList.optional() })
      .strict()
      .default({}),
  })
  .strict();

export type SplitParams = z.infer<typeof splitParams>;
