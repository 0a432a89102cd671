export * from './trim.ts';
export * from './mel.ts';
export * from './extract.ts';
export * from './feature-table.ts';
export * from './params.ts';
export { benchFeatures } from './bench.ts';
