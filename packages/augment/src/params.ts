/** Params of the augment stage (its `params:` block in pipeline.yaml), defaults at each key. */
import { z } from 'zod';
import { range } from '@ser/core/schema';

const positiveRange = (name: string) => range.refine(([lo]) => lo > 0, { message: `${name} must be > 0` });

/** One kind of variant: `count` variants per clip, each with an amount drawn uniformly from the range at `amountKey`. */
function variantKind<const K extends string>(amountKey: K, count: number, amountRange: z.ZodType<[number, number]>, amountDefault: [number, number]) {
  const shape = { count: z.number().int().nonnegative().default(count), [amountKey]: amountRange.default(amountDefault) };
  const block = z.object(shape as { count: (typeof shape)['count'] } & Record<K, z.ZodDefault<typeof amountRange>>).strict();
  // Every key has a default, so an absent block parses as {} (TypeScript cannot see that through K).
  return block.prefault({} as z.input<typeof block>);
}

export const augmentParams = z
  .object({
    seed: z.number().int().default(42),
    /** Gaussian noise at an SNR (dB) drawn from `snrDb` (noise.ts). */
    noise: variantKind('snrDb', 1, range, [15, 30]),
    /** Pitch shift by `semitones`, duration kept (pitch.ts, librosa.effects.pitch_shift). */
    pitchShift: variantKind('semitones', 1, range, [-3, 3]),
    /** Time stretch by `rate`, pitch kept (@ser/dsp's phase vocoder, librosa.effects.time_stretch). */
    timeStretch: variantKind('rate', 1, positiveRange('rates'), [0.8, 1.25]),
    /** Speed perturbation (speed.ts; Ko et al. 2015 used 0.9, 1.0 and 1.1): tempo and pitch moved together
     *  by one factor. Off by default (count 0), so the original project's variants stay as they were. */
    speed: variantKind('factor', 0, positiveRange('factors'), [0.9, 1.1]),
  })
  .strict();

export type AugmentParams = z.infer<typeof augmentParams>;
