/** Params of the eval stage (its `params:` block in pipeline.yaml). */
import { z } from 'zod';
import { backendSchema } from '@ser/model/params';

export const evalParams = z
  .object({
    backend: backendSchema,
  })
  .strict();

export type EvalParams = z.infer<typeof evalParams>;
