/**
 * The one schema of `pipeline.yaml`. Every stage's param type is inferred from here,
 * and the same schema validates the file (see `loadPipeline` in pipeline.ts).
 * Defaults sit next to each key; they reproduce the original Keras/librosa project.
 */
import { z } from 'zod';

const positiveInt = z.number().int().positive();
const range = z
  .tuple([z.number(), z.number()])
  .refine(([lo, hi]) => lo <= hi, { message: 'range must be [low, high] with low <= high' });

/** Dataset: RAVDESS layout (`Actor_XX/03-01-EE-II-SS-RR-AA.wav`) or a CSV manifest `path,label[,speaker][,gender]`. */
export const datasetSchema = z
  .object({
    /** Folder of `Actor_XX` folders, or a CSV manifest file. Relative to the workspace root. */
    path: z.string().min(1).default('data/raw/ravdess'),
    format: z.enum(['ravdess', 'csv']).default('ravdess'),
    /** Restrict to these actors (RAVDESS numbers, or CSV speaker ids); empty = all. */
    actors: z.array(z.union([z.number().int(), z.string()])).default([]),
  })
  .strict();

/** librosa.load(sr=22050) + effects.trim(top_db=25, frame_length=2048, hop_length=512). */
export const trimSchema = z
  .object({
    sampleRate: positiveInt.default(22050),
    topDb: z.number().positive().default(25),
    frameLength: positiveInt.default(2048),
    hopLength: positiveInt.default(512),
  })
  .strict();

/** feature.melspectrogram + power_to_db(ref=np.max), then fixed to `frames` frames. */
export const melSchema = z
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
    /** Value for right padding; null = the floor (-topDb dB, i.e. silence). */
    padValue: z.number().nullable().default(null),
  })
  .strict();

export const augmentSchema = z
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
  })
  .strict();

const actorList = z.array(z.union([z.number().int(), z.string()]));

export const splitSchema = z
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

export const backendSchema = z.enum(['auto', 'node', 'wasm', 'cpu']).default('auto');

export const trainSchema = z
  .object({
    backend: backendSchema,
    seed: z.number().int().default(42),
    epochs: positiveInt.default(30),
    batchSize: positiveInt.default(32),
    learningRate: z.number().positive().default(1e-3),
    filters: z.array(positiveInt).min(1).default([32, 64, 128]),
    kernelSize: positiveInt.default(3),
    convDropout: z.number().min(0).max(1).default(0.25),
    /** Moving-statistics momentum of BatchNormalization. Keras uses 0.99, whose averages still lean on
     *  their initial values after the few hundred steps a RAVDESS run takes, so validation (and early
     *  stopping on it) sees wrong statistics for many epochs; 0.9 is PyTorch's default (its 0.1). */
    batchNormMomentum: z.number().min(0).max(1).default(0.9),
    denseUnits: positiveInt.default(128),
    denseDropout: z.number().min(0).max(1).default(0.5),
    /** Early stopping on validation loss; best weights are restored. 0 disables it. */
    patience: z.number().int().nonnegative().default(5),
    /** Keras' ReduceLROnPlateau on validation loss: after `patience` epochs without a new lowest
     *  validation loss the learning rate is multiplied by `factor`, not below `min`. 0 disables it. */
    lrPlateau: z
      .object({
        factor: z.number().gt(0).lt(1).default(0.5),
        patience: z.number().int().nonnegative().default(2),
        min: z.number().nonnegative().default(1e-5),
      })
      .strict()
      .prefault({}),
    /** SpecAugment's masking (Park et al. 2019, §2) on every training tensor at every step:
     *  `freqMasks` runs of 0…`freqWidth` mel bands and `timeMasks` runs of 0…`timeWidth` frames are set
     *  to 0, the training mean after standardisation. Validation, test and precise BN see whole tensors.
     *  Off by default (0 masks): on RAVDESS with the 30-epoch default, one mask of each kind of up to
     *  16 bands/frames left the model under-trained (training loss 0.75 against 0.44 without; validation
     *  loss 0.92 against 0.88); it is for longer runs. */
    specAugment: z
      .object({
        freqMasks: z.number().int().nonnegative().default(0),
        freqWidth: z.number().int().nonnegative().default(16),
        timeMasks: z.number().int().nonnegative().default(0),
        timeWidth: z.number().int().nonnegative().default(16),
      })
      .strict()
      .prefault({}),
    /** Train on the augmented variants of training recordings too. */
    useAugmented: z.boolean().default(true),
    /** Data-parallel gradient workers (wasm/cpu); 0 = one per core. */
    workers: z.number().int().nonnegative().default(0),
  })
  .strict();

export const evalSchema = z
  .object({
    backend: backendSchema,
  })
  .strict();

export const STAGE_NAMES = ['ingest', 'trim', 'mel', 'augment', 'split', 'train', 'eval'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** Params of each stage (the `params:` block of a stage in pipeline.yaml). */
export const stageParamSchemas = {
  ingest: z.object({}).strict(),
  trim: trimSchema,
  mel: melSchema,
  augment: augmentSchema,
  split: splitSchema,
  train: trainSchema,
  eval: evalSchema,
} satisfies Record<StageName, z.ZodTypeAny>;

export type DatasetParams = z.infer<typeof datasetSchema>;
export type TrimParams = z.infer<typeof trimSchema>;
export type MelParams = z.infer<typeof melSchema>;
export type AugmentParams = z.infer<typeof augmentSchema>;
export type SplitParams = z.infer<typeof splitSchema>;
export type TrainParams = z.infer<typeof trainSchema>;
export type EvalParams = z.infer<typeof evalSchema>;
export type Backend = z.infer<typeof backendSchema>;

/** Parse one stage's params, filling defaults. */
export function stageParams<S extends StageName>(stage: S, raw: unknown): z.infer<(typeof stageParamSchemas)[S]> {
  return stageParamSchemas[stage].parse(raw ?? {}) as z.infer<(typeof stageParamSchemas)[S]>;
}
