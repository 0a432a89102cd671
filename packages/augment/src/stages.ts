/** Stage definitions of this package, for the stage runner (core's stage-loader). */
import type { StageDefinition } from '@ser/core';
import { augmentStage } from './augment-stage.ts';
import { splitStage } from './split-stage.ts';

export const stages: StageDefinition[] = [augmentStage, splitStage];
