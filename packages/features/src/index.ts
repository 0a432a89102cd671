export * from './wav.ts';
export * from './fft.ts';
export * from './fft32.ts';
export * from './resample.ts';
export * from './trim.ts';
export * from './mel.ts';
export * from './extract.ts';
export * from './feature-table.ts';
export { benchFeatures } from './bench.ts';
