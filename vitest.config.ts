import { configDefaults, defineConfig } from 'vitest/config';
import { watVitePlugin } from '@ser/build/wat2wasm';

export default defineConfig({
  // `import bytes from './x.wat'`: the compiled module, as in the esbuild bundles (packages/build/src/wat2wasm.js).
  plugins: [watVitePlugin()],
  test: {
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Worker pools and wasm backends inside tests need real threads, not vitest's own.
    pool: 'forks',
    // Two test files at a time even on 2 cores (vitest's default is cores − 1): most e2e time is spent
    // waiting on Nx, the CLI, servers and Chromium, single-threaded.
    maxWorkers: 2,
    // By file name (CONTRIBUTING.md, "Tests"): a `*.e2e.test.ts` needs what lies outside the repository
    // (RAVDESS from ../shared, the librosa goldens, Chromium), runs the CLI or Nx, or trains a real
    // model; every other test file is a unit test. `vitest run` runs both projects.
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/test/**/*.test.ts', 'tools/test/**/*.test.ts'], exclude: [...configDefaults.exclude, '**/*.e2e.test.ts'] },
      },
      { extends: true, test: { name: 'e2e', include: ['packages/*/test/**/*.e2e.test.ts', 'tools/test/**/*.e2e.test.ts'] } },
    ],
  },
});
