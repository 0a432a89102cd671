export * from './metrics.ts';
export * from './figures/index.ts';
export * from './compare/index.ts';
export * from './intervals.ts';
export * from './protocol.ts';
export * from './report.ts';
export * from './stats/index.ts';
