/** The packages that compute stages (see packages/core/src/stage-packages.json), imported only when a stage needs them. */
import type { StageModules } from '@ser/core/stage-loader';

export const stageModules: StageModules = {
  '@ser/ingest': () => import('@ser/ingest/stages'),
  '@ser/features': () => import('@ser/features/stages'),
  '@ser/augment': () => import('@ser/augment/stages'),
  '@ser/model': () => import('@ser/model/stages'),
  '@ser/eval': () => import('@ser/eval/stages'),
};
