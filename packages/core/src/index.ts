export * from './params.ts';
export * from './arrow.ts';
export * from './stage.ts';
export * from './tables.ts';
export * from './pool.ts';
