export { apportion, stratifiedSplit, SPLITS, type SplitName, type SplitRecord, type SplitResult } from './split.ts';
export { FOLDS_METADATA, foldsOf, roleOf, rowsByRole, type RowsByRole } from './join.ts';
export { foldCount, makeFolds, type Fold } from './folds.ts';
export { splitParams, type SplitParams } from './params.ts';
