export { rngFor, shuffled, type Rng } from './prng.ts';
export { addNoise } from './noise.ts';
export { apportion, stratifiedSplit, SPLITS, type SplitName, type SplitRecord, type SplitResult } from './split.ts';
