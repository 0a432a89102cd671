/** Interval and verdict maths for comparing experiments; see README.md in this folder. */
export { studentTCdf, studentTInterval, studentTQuantile } from './student-t.ts';
export { xoshiro128StarStar, type SeededRandom } from './prng.ts';
export { summarize, type MetricSummary } from './summary.ts';
export { pairedTInterval, type PairedDifference } from './paired.ts';
export { welchInterval, type WelchInterval } from './welch.ts';
export {
  DEFAULT_RESAMPLES,
  accuracyMetric,
  bootstrapMetricInterval,
  macroF1Metric,
  pairedBootstrapDifference,
  type BootstrapInterval,
  type BootstrapOptions,
  type LabelMetric,
  type PairedBootstrapInterval,
} from './bootstrap.ts';
export { verdict, type Direction, type Verdict, type VerdictOptions } from './verdict.ts';
