import { defineConfig } from 'vitest/config';
import { watVitePlugin } from '@ser/build/wat2wasm';

export default defineConfig({
  // `import bytes from './x.wat'`: the compiled module, as in the esbuild bundles (packages/build/src/wat2wasm.js).
  plugins: [watVitePlugin()],
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tools/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Worker pools and wasm backends inside tests need real threads, not vitest's own.
    pool: 'forks',
  },
});
