export * from './render.ts';
export * from './spec-base.ts';
export * from './confusion.ts';
export * from './learning-curves.ts';
export * from './eda.ts';
