export { KEY_METRICS, differingParams, expShow, type ExpShowOptions } from './show.ts';
export { expDiff, formatDiff, type Comparison, type DiffOptions, type MetricDiff, type RunDiff } from './diff.ts';
export { expWhy } from './why.ts';
export { groupRuns, isSeedParam, type RunGroup } from './groups.ts';
export { metricOf, intervalOf, foldValuesOf } from './record-metrics.ts';
export type { TableFormat } from './format.ts';
