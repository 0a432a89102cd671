export * from './ravdess.ts';
export * from './csv-manifest.ts';
export * from './ravdess-release.ts';
export * from './listing.ts';
