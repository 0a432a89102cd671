/**
 * Cached esbuild bundles of TypeScript entry points, so the `ser` command and worker threads run
 * plain JavaScript: running through tsx's loader cost ~1 s per process (its hooks see every imported
 * file, node_modules included) and ~0.7 s per worker thread (which cannot inherit the loader).
 *
 * Workspace sources (relative imports and @ser/* packages) are inlined; third-party packages stay
 * imports and resolve from the bundle's folder, <package>/node_modules/.cache/ser-bundles/<name>/, exactly
 * as from the package's own sources. `import.meta.url` keeps meaning each source file's own URL.
 * A `.wat` import is inlined as its compiled WebAssembly module (wat2wasm.js).
 * A bundle is reused while every source file it was built from has the same content.
 *
 * Plain JavaScript (types in bundle.d.ts) because bin/ser.js loads it before anything TypeScript can run.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { watEsbuildPlugin } from './wat2wasm.js';

/** Packages of this scope are workspace sources, bundled; all others stay imports. */
export const WORKSPACE_SCOPE = '@ser/';

/** Raised when sources.json records something new (2: package.json files), so older bundles are rebuilt. */
const RECORD_VERSION = 2;

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The folder of the package that holds `file` (nearest package.json above it). */
function packageRoot(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`${file}: no package.json above it`);
  }
}

/** Third-party packages and Node built-ins stay imports; workspace sources are inlined with their own import.meta.url. */
const workspaceOnly = {
  name: 'workspace-only',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith(WORKSPACE_SCOPE) ? undefined : { path: args.path, external: true }));
    b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

/** Content hashes of the bundle's source files, keyed by absolute path. */
const hashSources = (files) => Object.fromEntries(files.map((f) => [f, existsSync(f) ? sha256(readFileSync(f)) : 'missing']));

/**
 * Path of a runnable bundle of the TypeScript module `code` (which imports what it needs by absolute
 * path), named `name` and placed beside the package of `near`; built when missing or stale.
 */
export async function bundle(name, code, near) {
  const cache = join(packageRoot(near), 'node_modules', '.cache', 'ser-bundles');
  const dir = join(cache, `${name}-${sha256(code).slice(0, 12)}-v${RECORD_VERSION}`);
  const entry = join(dir, 'entry.mjs');
  const sourcesFile = join(dir, 'sources.json');
  if (existsSync(sourcesFile)) {
    const recorded = JSON.parse(readFileSync(sourcesFile, 'utf8'));
    const current = hashSources(Object.keys(recorded));
    if (Object.keys(recorded).every((f) => recorded[f] === current[f])) return entry;
  }
  // Code splitting keeps each dynamic import (and the packages only it uses) in a chunk of its own,
  // loaded when reached: `ser --help` must not load TensorFlow.js.
  const staging = `${dir}.${process.pid}.tmp`;
  const result = await build({
    stdin: { contents: code, resolveDir: dirname(near), loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: staging,
    entryNames: 'entry',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'inline',
    metafile: true,
    write: false,
    logLevel: 'silent',
    plugins: [workspaceOnly, watEsbuildPlugin],
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((f) => !f.startsWith('<stdin>') && f !== 'entry.ts')
    .map((f) => resolve(f));
  // A package.json steers resolution and tree-shaking (`exports`, `sideEffects`): a change rebuilds too.
  const sources = [...new Set([...inputs, ...inputs.map((f) => join(packageRoot(f), 'package.json'))])];
  mkdirSync(staging, { recursive: true });
  for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
  // sources.json last: a bundle folder without it is incomplete and never used.
  writeFileSync(join(staging, 'sources.json'), JSON.stringify(hashSources(sources), null, 1));
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(staging, dir);
  } catch (e) {
    // A concurrent process installed the same bundle first; its copy is as good as ours.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(sourcesFile)) throw e;
  }
  return entry;
}
