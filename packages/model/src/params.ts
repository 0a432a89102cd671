/** Params of the train stage (its `params:` block in pipeline.yaml), defaults at each key. */
import { z } from 'zod';
import { positiveInt } from '@ser/core/schema';

export const backendSchema = z.enum(['auto', 'node', 'wasm', 'cpu']).default('auto');

/**
 * The keys of a training recipe. Their defaults are the original project's CNN and recipe (preset
 * `seed-cnn`), so they never change: a new default is a new preset.
 */
const recipe = z
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
    /** How the last convolution block's [bands, frames, channels] map becomes one vector: `average`
     *  (GlobalAveragePooling2D: a mean per channel), `statistics` (mean and standard deviation over
     *  time per band and channel, layers/statistics-pooling.ts; the first dense layer grows with it) or
     *  `attention` (the same statistics with a learned weight per frame, layers/attention-pooling.ts);
     *  both are batch-normalised before the dense layer (model.ts). */
    pooling: z.enum(['average', 'statistics', 'attention']).default('average'),
    denseUnits: positiveInt.default(128),
    denseDropout: z.number().min(0).max(1).default(0.5),
    /** Decoupled weight decay λ (AdamW, Loshchilov & Hutter 2019): every step shrinks each kernel by lr·λ of
     *  itself (biases and batch-norm weights are left alone); 0 (default) = plain Adam. PyTorch's AdamW uses 0.01. */
    weightDecay: z.number().nonnegative().default(0),
    /** Early stopping on validation loss; best weights are restored. 0 disables it. */
    patience: z.number().int().nonnegative().default(5),
    /** Keep the weights of the epoch with the lowest validation loss (true, default) or of the last epoch run
     *  (false; Keras' EarlyStopping restore_best_weights). With a schedule that anneals the learning rate to
     *  its end, the last weights are the converged ones, where validation loss on two speakers picks early epochs. */
    restoreBestWeights: z.boolean().default(true),
    /** Keras' ReduceLROnPlateau on validation loss (lrSchedule `plateau`): after `patience` epochs without a new lowest
     *  validation loss the learning rate is multiplied by `factor`, not below `min`. 0 disables it. */
    lrPlateau: z
      .object({
        factor: z.number().gt(0).lt(1).default(0.5),
        patience: z.number().int().nonnegative().default(2),
        min: z.number().nonnegative().default(1e-5),
      })
      .strict()
      .prefault({}),
    /** How the learning rate moves over the epochs: `plateau` (lrPlateau below); `cosine`, annealed
     *  from learningRate at epoch 1 towards 0 after the last epoch, ½·lr·(1 + cos(π·(e−1)/epochs))
     *  (Loshchilov & Hutter 2017, eq. 5, one cycle without restarts; PyTorch's CosineAnnealingLR); or
     *  `one-cycle`, up from learningRate/25 to learningRate over the first 30 % of the epochs, then
     *  down to learningRate/(25·10⁴), both along half a cosine (Smith & Topin 2019; train.ts). */
    lrSchedule: z.enum(['plateau', 'cosine', 'one-cycle']).default('plateau'),
    /** Label smoothing ε of the training loss (Szegedy et al. 2016, §7): targets (1 − ε)·one-hot + ε/classes.
     *  Validation loss, and early stopping on it, stay plain cross-entropy. */
    labelSmoothing: z.number().min(0).lt(1).default(0),
    /** mixup's α (mixup.ts; Zhang et al. 2018): each gradient step trains on pairs of its rows mixed with one
     *  λ ~ Beta(α, α), targets mixed alike; 0 (default) = off. The paper used α 0.2–0.4 for speech. */
    mixup: z.number().nonnegative().default(0),
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
    /** Random frequency shift (freq-shift.ts): every training tensor at every step moves k ~ U{−K…K} mel bands,
     *  K = freqShift, the uncovered bands set to 0 (the training mean); 0 (default) = off. A vocal-tract-length
     *  stand-in that costs no extra tensors. */
    freqShift: z.number().int().nonnegative().default(0),
    /** How inputs are standardised per mel band (standardize.ts): with the training set's statistics, each
     *  tensor with its own, or each speaker's tensors with that speaker's (one file alone: its own). */
    standardize: z.enum(['training-set', 'utterance', 'speaker']).default('training-set'),
    /** Train on the augmented variants of training recordings too. */
    useAugmented: z.boolean().default(true),
    /**
     * With useAugmented: `all` trains on every recording and every one of its variants each epoch (the
     * original project's); `one` shows each recording once per epoch, as itself or one of its variants
     * drawn at random (seeded): the same augmentation at 1/(1+variants) of the samples per epoch.
     */
    variantsPerEpoch: z.enum(['all', 'one']).default('all'),
    /** Data-parallel gradient workers (wasm/cpu); 0 = one per core. */
    workers: z.number().int().nonnegative().default(0),
  })
  .strict();

/** 15 epochs, learning rate 2e-3 annealed along a cosine, the last epoch's weights (see `seed-cnn-15-cosine`). */
const fifteenCosine = { epochs: 15, learningRate: 2e-3, lrSchedule: 'cosine', patience: 0, restoreBestWeights: false } as const;

/** Named recipes: values for the keys above, beneath whatever pipeline.yaml (or --set) gives itself. */
export const presets = {
  /** The original project's 2D CNN and its recipe: 30 epochs of every variant, plateau LR, training-set standardisation. */
  'seed-cnn': {},
  /** The same CNN on half the training samples (15 of 30 epochs): the learning rate annealed along a cosine from
   *  2e-3 to the last epoch, whose weights are kept; no early stopping, because validation loss on two speakers
   *  picked early, weak epochs in cross-validation (the root README's figures). */
  'seed-cnn-15-cosine': fifteenCosine,
  /** `seed-cnn-15-cosine` with statistics pooling (the mean and standard deviation over time of every mel band
   *  and channel, batch-normalised) instead of one average per channel: where in frequency a pattern sits reaches
   *  the dense layers. Higher in every fold of the actor cross-validation (the root README's figures). */
  'stats-pool-15-cosine': { ...fifteenCosine, pooling: 'statistics' },
  /** `stats-pool-15-cosine` with `freqShift: 4`: each training tensor moved by up to ±4 mel bands at every step, so
   *  the band statistics that pooling now keeps do not tie an emotion to one voice's spectral position. Higher by
   *  CV and validation mean, and in both genders, though not detectably (the root README's figures). */
  'stats-pool-shift4-15-cosine': { ...fifteenCosine, pooling: 'statistics', freqShift: 4 },
} satisfies Record<string, Partial<z.input<typeof recipe>>>;

export type PresetName = keyof typeof presets;
export const DEFAULT_PRESET: PresetName = 'stats-pool-shift4-15-cosine';

const isBlock = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A preset's values beneath the keys given: a block given in part (`lrPlateau: { factor: 0.3 }`) keeps the preset's other keys of it. */
export function beneath(preset: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown> {
  const out = { ...preset, ...given };
  for (const [key, value] of Object.entries(given)) if (isBlock(value) && isBlock(preset[key])) out[key] = { ...preset[key], ...value };
  return out;
}

/** The train stage's params: `preset` (default DEFAULT_PRESET) fills in the keys not given. */
export const trainParams = z.preprocess(
  (raw) => {
    if (!isBlock(raw)) return raw;
    const name = raw.preset ?? DEFAULT_PRESET;
    const values: Record<string, unknown> | undefined = presets[name as PresetName];
    return values ? { ...beneath(values, raw), preset: name } : raw;
  },
  recipe.extend({ preset: z.enum(Object.keys(presets) as [PresetName, ...PresetName[]]) }),
);

export type Backend = z.infer<typeof backendSchema>;
export type TrainParams = z.infer<typeof trainParams>;
