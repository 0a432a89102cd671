export * from './metrics.ts';
export * from './figures/index.ts';
export * from './compare.ts';
export * from './protocol.ts';
export * from './report.ts';
export * from './stats/index.ts';
