/**
 * The code a module actually runs, as one hash: the module and every workspace source it imports
 * (and every worker module it starts with `new URL('./x.ts', import.meta.url)`, transitively, and
 * the WebAssembly modules it imports as `.wat`), bundled and minified by esbuild. Comments, whitespace and local names do not reach the minified
 * output, so editing them changes nothing; a file the module does not import is not part of it.
 * Third-party packages stay external: their installed versions are listed instead (with their own
 * dependencies, from package-lock.json), so an upgrade of a package the module uses changes the key
 * and an upgrade of one it does not use (a linter, say) does not.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import { WORKSPACE_SCOPE } from './bundle.js';
import { watEsbuildPlugin } from './wat2wasm.js';

export interface CodeKey {
  /** sha256 over the minified bundles of the module and its workers. */
  code: string;
  /** Workspace source files that went into it (relative to the root), sorted. */
  sources: string[];
  /** Third-party packages it imports and their dependencies: name → installed version, sorted by name. */
  packages: Record<string, string>;
}

const BUILD_PACKAGE = `${WORKSPACE_SCOPE}build`;

const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** `new URL('./worker.ts', import.meta.url)`: a module started at run time (a worker), part of the code too. */
const MODULE_URL = /new URL\(\s*(['"])(\.{1,2}\/[^'"]+\.[cm]?[jt]s)\1\s*,\s*import\.meta\.url\s*\)/g;

/** Resolves like bundle.js (workspace sources inlined, packages external), with paths made root-relative. */
function keyPlugin(root: string, modules: Set<string>): Plugin {
  return {
    name: 'code-key',
    setup(b) {
      // Third-party packages are listed by version; the build tooling (this package) runs the code, like
      // Node itself, without being part of what a stage computes.
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.startsWith(WORKSPACE_SCOPE) && !args.path.startsWith(BUILD_PACKAGE) ? undefined : { path: args.path, external: true },
      );
      b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        for (const m of text.matchAll(MODULE_URL)) modules.add(resolve(dirname(args.path), m[2]));
        // The clone's location must not change the key: import.meta.url becomes a root-relative name.
        return { contents: text.replaceAll('import.meta.url', JSON.stringify(`ser:${relative(root, args.path)}`)), loader: 'ts' };
      });
    },
  };
}

/** Bare import → package name (`@scope/name/sub` → `@scope/name`, `name/sub` → `name`). */
const packageName = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * Installed versions of `names` and of everything they depend on, from package-lock.json (lockfile
 * v2/v3 `packages`), resolving each dependency as Node does: the nearest node_modules up the tree.
 */
export function lockedVersions(root: string, names: Iterable<string>): Record<string, string> {
  const lockFile = join(root, 'package-lock.json');
  if (!existsSync(lockFile)) return Object.fromEntries([...names].map((n) => [n, 'unlocked']));
  const packages = (JSON.parse(readFileSync(lockFile, 'utf8')) as { packages?: Record<string, LockEntry> }).packages ?? {};
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  const visit = (name: string, from: string) => {
    for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
      const path = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      const entry = packages[path];
      if (entry) {
        if (seen.has(path)) return;
        seen.add(path);
        out[path === `node_modules/${name}` ? name : path] = entry.version ?? 'linked';
        const deps = { ...entry.peerDependencies, ...entry.optionalDependencies, ...entry.dependencies };
        for (const dep of Object.keys(deps)) visit(dep, path);
        return;
      }
      if (!dir) return; // not installed (an optional dependency that did not install): nothing runs
    }
  };
  for (const name of names) visit(name, '');
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function bundleForKey(root: string, entry: string, modules: Set<string>): Promise<{ text: string; metafile: Metafile }> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    metafile: true,
    outfile: 'key.mjs',
    logLevel: 'silent',
    plugins: [keyPlugin(root, modules), watEsbuildPlugin],
  });
  return { text: result.outputFiles[0].text, metafile: result.metafile };
}

interface Cached {
  key: CodeKey;
  /** sha256 of each source file and of package-lock.json when the key was made. */
  hashes: Record<string, string>;
}

const fileHash = (path: string) => (existsSync(path) ? sha256(readFileSync(path)) : 'missing');

/**
 * The code key of the module at `entry` (absolute path) in the workspace at `root`. Kept in
 * node_modules/.cache/ser-keys/ and reused while none of its source files (nor the lock) changed.
 */
export async function codeKey(root: string, entry: string): Promise<CodeKey> {
  const cacheFile = join(root, 'node_modules', '.cache', 'ser-keys', `${sha256(relative(root, entry)).slice(0, 16)}.json`);
  if (existsSync(cacheFile)) {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as Cached;
    if (Object.entries(cached.hashes).every(([f, h]) => fileHash(join(root, f)) === h)) return cached.key;
  }
  const pending = [resolve(entry)];
  const done = new Map<string, string>();
  const sources = new Set<string>();
  const externals = new Set<string>();
  while (pending.length) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    const found = new Set<string>();
    const { text, metafile } = await bundleForKey(root, file, found);
    done.set(relative(root, file), text);
    for (const input of Object.keys(metafile.inputs)) sources.add(relative(root, resolve(root, input)));
    for (const output of Object.values(metafile.outputs))
      for (const imp of output.imports) if (imp.external && !isBuiltin(imp.path) && !imp.path.startsWith(BUILD_PACKAGE)) externals.add(packageName(imp.path));
    for (const m of found) if (!done.has(relative(root, m))) pending.push(m);
  }
  const hash = createHash('sha256');
  for (const [file, text] of [...done].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(file).update('\0').update(text).update('\0');
  const key: CodeKey = { code: hash.digest('hex'), sources: [...sources].sort(), packages: lockedVersions(root, [...externals].sort()) };
  const hashes = Object.fromEntries([...key.sources, 'package-lock.json'].map((f) => [f, fileHash(join(root, f))]));
  mkdirSync(dirname(cacheFile), { recursive: true });
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ key, hashes } satisfies Cached));
  renameSync(tmp, cacheFile);
  return key;
}
