export * from './metrics.ts';
export * from './figures.ts';
export * from './compare.ts';
