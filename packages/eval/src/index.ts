export * from './metrics.ts';
export * from './figures.ts';
