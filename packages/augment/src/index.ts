export { addNoise } from './noise.ts';
export { pitchShift, type PitchShiftOptions } from './pitch.ts';
export { AUGMENT_KINDS, augmentClip, renderVariant, variantId, variantsOf, type AugmentKind } from './augment.ts';
export { augmentAll, type ClipResult } from './batch.ts';
export { benchAugment } from './bench.ts';
export { augmentParams, type AugmentParams } from './params.ts';
