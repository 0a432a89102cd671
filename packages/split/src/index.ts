export { apportion, stratifiedSplit, SPLITS, type SplitName, type SplitRecord, type SplitResult } from './split.ts';
export { roleOf, rowsByRole, type RowsByRole } from './join.ts';
export { splitParams, type SplitParams } from './params.ts';
