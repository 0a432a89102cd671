#!/usr/bin/env node
// The CLI is TypeScript without a build step: it runs as a cached esbuild bundle of src/main.ts,
// rebuilt when one of its source files changes (see packages/build/src/bundle.js).
import { fileURLToPath } from 'node:url';
import { bundle } from '@ser/build/bundle';

process.setSourceMapsEnabled(true); // stack traces point into the TypeScript sources
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
await import(await bundle('ser', `import ${JSON.stringify(main)};\n`, main));
