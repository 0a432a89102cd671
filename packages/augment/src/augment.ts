/**
 * One clip's augmented variants as log-Mel tensors. Each variant's random amount (and, for noise,
 * its samples) comes from rngFor(seed, source id, kind, n), so results do not depend on which
 * worker renders which clip, nor in what order.
 */
import { rngFor, timeStretch, vocoderAnalysis, type VocoderAnalysis } from '@ser/dsp';
import type { MelParams } from '@ser/features/params';
import type { AugmentParams } from './params.ts';
import { clipTensor } from '@ser/features';
import { addNoise } from './noise.ts';
import { pitchShift } from './pitch.ts';
import { speedPerturb } from './speed.ts';

export const AUGMENT_KINDS = ['noise', 'pitch', 'stretch', 'speed'] as const;
export type AugmentKind = (typeof AUGMENT_KINDS)[number];

/** The params block of each kind: how many variants and the range of its amount. */
function kindParams(params: AugmentParams, kind: AugmentKind): { count: number; range: [number, number] } {
  if (kind === 'noise') return { count: params.noise.count, range: params.noise.snrDb };
  if (kind === 'pitch') return { count: params.pitchShift.count, range: params.pitchShift.semitones };
  if (kind === 'stretch') return { count: params.timeStretch.count, range: params.timeStretch.rate };
  return { count: params.speed.count, range: params.speed.factor };
}

/** Variants of every clip, in output order: noise, pitch, stretch, speed, each n = 0..count-1. */
export function variantsOf(params: AugmentParams): { kind: AugmentKind; n: number }[] {
  return AUGMENT_KINDS.flatMap((kind) => Array.from({ length: kindParams(params, kind).count }, (_, n) => ({ kind, n })));
}

/** Tensor id of a variant: '<source>#<kind><n>' (tables.ts). */
export const variantId = (source: string, kind: AugmentKind, n: number) => `${source}#${kind}${n}`;

/**
 * Render one variant: the amount (SNR dB, semitones, rate or speed factor) is drawn uniformly from the
 * configured range; noise then draws its samples from the same stream. `analysis` = vocoderAnalysis(y),
 * shared by a clip's pitch and stretch variants (librosa's n_fft 2048, hop 512).
 */
export function renderVariant(
  y: Float32Array,
  sampleRate: number,
  source: string,
  kind: AugmentKind,
  n: number,
  params: AugmentParams,
  analysis?: VocoderAnalysis,
): { amount: number; audio: Float32Array } {
  const rng = rngFor(params.seed, source, kind, n);
  const [lo, hi] = kindParams(params, kind).range;
  const amount = rng.uniform(lo, hi);
  const render: Record<AugmentKind, () => Float32Array> = {
    noise: () => addNoise(y, amount, rng),
    pitch: () => pitchShift(y, sampleRate, amount, { analysis }),
    stretch: () => timeStretch(y, amount, { analysis }),
    speed: () => speedPerturb(y, sampleRate, amount),
  };
  const audio = render[kind]();
  return { amount, audio };
}

/** All variants of one clip: amounts, real frame counts and the fixed-size tensors, concatenated. */
export function augmentClip(
  source: string,
  y: Float32Array,
  sampleRate: number,
  params: AugmentParams,
  mel: MelParams,
): { amounts: Float64Array; frames: Int32Array; logmel: Float32Array } {
  const variants = variantsOf(params);
  const analysis = variants.some((v) => v.kind === 'pitch' || v.kind === 'stretch') ? vocoderAnalysis(y) : undefined;
  const size = mel.nMels * mel.frames;
  const out = { amounts: new Float64Array(variants.length), frames: new Int32Array(variants.length), logmel: new Float32Array(variants.length * size) };
  variants.forEach(({ kind, n }, v) => {
    const { amount, audio } = renderVariant(y, sampleRate, source, kind, n, params, analysis);
    const tensor = clipTensor(audio, sampleRate, mel); // the mel stage's own tensor code
    out.amounts[v] = amount;
    out.frames[v] = tensor.frames;
    out.logmel.set(tensor.logmel, v * size);
  });
  return out;
}
