export { apportion, stratifiedSplit, SPLITS, type SplitName, type SplitRecord, type SplitResult } from './split.ts';
export { roleOf, rowsByRole, type RowsByRole } from './join.ts';
export { makeFolds, type Fold } from './folds.ts';
export { foldCount, partitionFoldCount, splitParams, type SplitParams } from './params.ts';
