import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Worker pools and wasm backends inside tests need real threads, not vitest's own.
    pool: 'forks',
  },
});
