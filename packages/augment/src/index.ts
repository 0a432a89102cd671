export { rngFor, shuffled, type Rng } from './prng.ts';
export { addNoise } from './noise.ts';
export { stftPolar, istft, windowSumSquare, type AnalysisOptions, type PolarSpectrogram, type Spectrogram, type StftOptions } from './stft.ts';
export { phaseVocoder, timeStretch, roundHalfEven, vocoderAnalysis, type TimeStretchOptions, type VocoderAnalysis } from './vocoder.ts';
export { pitchShift, type PitchShiftOptions } from './pitch.ts';
export { AUGMENT_KINDS, augmentClip, renderVariant, variantId, variantsOf, type AugmentKind } from './augment.ts';
export { augmentAll, type ClipResult } from './batch.ts';
export { benchAugment } from './bench.ts';
export { augmentParams, type AugmentParams } from './params.ts';
