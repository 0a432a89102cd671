export * from './ravdess.ts';
export * from './csv-manifest.ts';
