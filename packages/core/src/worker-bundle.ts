/**
 * Worker modules are TypeScript, and a worker thread does not inherit the main thread's tsx loader
 * (Node 20): registering tsx in each worker costs ~0.5 s and a loader thread per worker. Instead each
 * worker module is bundled once by esbuild (workspace sources inlined, third-party packages left as
 * imports) together with the message loop of worker-entry.ts, and the bundle is reused for as long as
 * the contents of the sources it was built from are unchanged.
 *
 * The bundle lives in <package>/node_modules/.cache/ser-workers/, so the third-party imports it keeps
 * resolve exactly as they do from the package's own sources (and Nx/git ignore it).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { sha256 } from './hash.ts';

const ENTRY = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));
const WORKSPACE_SCOPE = '@ser/';

/** The folder of the package that holds `file` (nearest package.json above it). */
function packageRoot(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`${file}: no package.json above it`);
  }
}

/** Third-party packages and Node built-ins stay imports; workspace packages and relative files are inlined. */
const keepPackagesExternal: Plugin = {
  name: 'keep-packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith(WORKSPACE_SCOPE) ? undefined : { path: args.path, external: true }));
  },
};

/** Content hashes of the bundle's source files, keyed by absolute path. */
const hashSources = (files: string[]) => Object.fromEntries(files.map((f) => [f, existsSync(f) ? sha256(readFileSync(f)) : 'missing']));

/** Path of the runnable worker script for the worker module at `moduleUrl` (built if missing or stale). */
export async function bundledWorker(moduleUrl: URL | string): Promise<string> {
  const modulePath = fileURLToPath(moduleUrl);
  const dir = join(packageRoot(modulePath), 'node_modules', '.cache', 'ser-workers');
  const name = `${basename(modulePath).replace(/\.[cm]?[jt]s$/, '')}-${sha256(modulePath).slice(0, 12)}`;
  const script = join(dir, `${name}.mjs`);
  const sourcesFile = join(dir, `${name}.sources.json`);
  if (existsSync(script) && existsSync(sourcesFile)) {
    const recorded = JSON.parse(readFileSync(sourcesFile, 'utf8')) as Record<string, string>;
    const current = hashSources(Object.keys(recorded));
    if (Object.keys(recorded).every((f) => recorded[f] === current[f])) return script;
  }

  const result = await build({
    stdin: {
      contents: `import * as mod from ${JSON.stringify(modulePath)};\nimport { serve } from ${JSON.stringify(ENTRY)};\nserve(mod, ${JSON.stringify(modulePath)});\n`,
      resolveDir: dirname(modulePath),
      loader: 'ts',
      sourcefile: `${name}.entry.ts`,
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    metafile: true,
    write: false,
    logLevel: 'silent',
    plugins: [keepPackagesExternal],
  });
  const sources = Object.keys(result.metafile.inputs)
    .filter((f) => !f.startsWith('<stdin>'))
    .map((f) => resolve(f));
  mkdirSync(dir, { recursive: true });
  // Atomic renames: a concurrent process either sees the old complete bundle or the new one.
  const tmp = `.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(script + tmp, result.outputFiles[0].contents);
  renameSync(script + tmp, script);
  writeFileSync(sourcesFile + tmp, JSON.stringify(hashSources(sources), null, 1));
  renameSync(sourcesFile + tmp, sourcesFile);
  return script;
}
