/** Params of the trim and mel stages (their `params:` blocks in pipeline.yaml), defaults at each key. */
import { z } from 'zod';
import { positiveInt } from '@ser/core/schema';

/** librosa.load(sr=22050) + effects.trim(top_db=25, frame_length=2048, hop_length=512). */
export const trimParams = z
  .object({
    sampleRate: positiveInt.default(22050),
    topDb: z.number().positive().default(25),
    frameLength: positiveInt.default(2048),
    hopLength: positiveInt.default(512),
  })
  .strict();

/** feature.melspectrogram + power_to_db(ref=np.max), then fixed to `frames` frames. */
export const melParams = z
  .object({
    nFft: positiveInt.default(2048),
    hopLength: positiveInt.default(512),
    nMels: positiveInt.default(128),
    fmin: z.number().nonnegative().default(0),
    /** null = sampleRate / 2 */
    fmax: z.number().positive().nullable().default(null),
    /** power_to_db top_db: values are floored at -topDb relative to the clip maximum. */
    topDb: z.number().positive().default(80),
    /** Frames per tensor: longer clips are truncated, shorter ones right-padded. */
    frames: positiveInt.default(128),
    /** How short clips are right-padded (numpy.pad's modes): `constant` with padValue, or `wrap`, the
     *  clip repeated until it fills the frames, so that pooling over time sees speech only, whatever its length. */
    padMode: z.enum(['constant', 'wrap']).default('constant'),
    /** Value for right padding with padMode `constant`; null = the floor (-topDb dB, i.e. silence). */
    padValue: z.number().nullable().default(null),
  })
  .strict();

export type TrimParams = z.infer<typeof trimParams>;
export type MelParams = z.infer<typeof melParams>;
