/**
 * The binary module of the WAT `text`, validated, SIMD and bulk memory enabled. Errors read
 * "<fileName>:<line>:<column>: error: …" followed by the offending line.
 */
export function watToWasm(text: string, fileName: string): Promise<Uint8Array<ArrayBuffer>>;

/** esbuild plugin: a .wat import is its compiled module, as a Uint8Array. */
export const watEsbuildPlugin: import('esbuild').Plugin;

/** Vite (vitest) plugin: a .wat import is its compiled module, as a Uint8Array. */
export function watVitePlugin(): {
  name: string;
  enforce: 'pre';
  load(id: string): Promise<{ code: string; map: null } | null>;
};
