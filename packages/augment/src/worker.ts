/** Worker module for the augment stage's pool (core's createPool): one call renders one clip. */
export { augmentClip } from './augment.ts';
