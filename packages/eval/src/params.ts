/** Params of the eval stage (its `params:` block in pipeline.yaml). */
import { z } from 'zod';
import { backendSchema } from '@ser/model/params';

export const evalParams = z
  .object({
    backend: backendSchema,
    /** Test-time augmentation: `variants` scores a val or test recording by the mean class probabilities of
     *  its own tensor and of its augmented variants' (the augment stage's noise, pitch and stretch copies);
     *  `none` (default) by its own tensor alone. */
    tta: z.enum(['none', 'variants']).default('none'),
  })
  .strict();

export type EvalParams = z.infer<typeof evalParams>;
