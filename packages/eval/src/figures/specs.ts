/** The report's figure specs without the Node renderer (resvg, node:fs): what `ser ui` draws in the browser with vega-embed. */
export { confusionMatrixSpec } from './confusion.ts';
export { learningCurvesSpec, parseHistory, type EpochScores, type TrainingHistory } from './learning-curves.ts';
export { SPEC_BASE } from './spec-base.ts';
