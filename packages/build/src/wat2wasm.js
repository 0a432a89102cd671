/**
 * WebAssembly text (WAT, the text format of the WebAssembly Core Specification 2.0) compiled to a
 * binary module at build time by wabt (the WebAssembly Binary Toolkit's wat2wasm, as the `wabt` npm
 * package), with the SIMD and bulk-memory features enabled.
 *
 * `import bytes from './kernel.wat'` gives the compiled module as a Uint8Array: in esbuild bundles
 * (`watEsbuildPlugin`, used by bundle.js) and under vitest (`watVitePlugin`, registered in the
 * workspace's vitest.config.ts). The bytes are inlined into the importing bundle, so nothing looks
 * for a .wat file at run time (a bundle lives elsewhere than its sources), and an edit to a .wat
 * file changes every bundle that uses it.
 *
 * Plain JavaScript (types in wat2wasm.d.ts) because bundle.js, which bin/ser.js loads before anything
 * TypeScript can run, uses it.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';

const FEATURES = { simd: true, bulk_memory: true };

/** wabt's wasm build, loaded on first use: processes that compile nothing never load it. */
let wabt = null;

/**
 * wabt's diagnostics name the file as "<name>:line:col: error: …", but validate() sometimes prints
 * stray bytes after the name (wabt.js 1.0.39): every diagnostic line is re-prefixed with `fileName`;
 * the "parseWat failed:" header is dropped.
 */
function located(message, fileName) {
  const lines = message.split('\n').filter((l) => !/^\w+ failed:$/.test(l));
  const out = lines
    .map((l) => l.replace(/^.*?:(\d+):(\d+): (error|warning): /, `${fileName}:$1:$2: $3: `))
    .join('\n')
    .trimEnd();
  return /:\d+:\d+: /.test(out) ? out : `${fileName}: ${out}`;
}

/**
 * The binary module of the WAT `text`, validated. Errors (syntax and validation: types, stack
 * shape, unknown names) read "<fileName>:<line>:<column>: error: …" followed by the offending line.
 */
export async function watToWasm(text, fileName) {
  wabt ??= import('wabt').then((m) => m.default());
  const tools = await wabt;
  let parsed = null;
  try {
    parsed = tools.parseWat(fileName, text, FEATURES);
    parsed.validate();
    return parsed.toBinary({}).buffer.slice();
  } catch (e) {
    throw new Error(located(e.message, fileName), { cause: e });
  } finally {
    parsed?.destroy();
  }
}

/** A file's name for diagnostics: relative to the working directory (the workspace root, usually). */
const displayName = (path) => relative(process.cwd(), path) || path;

/** esbuild: a .wat import is its compiled module, as a Uint8Array (esbuild's binary loader). */
export const watEsbuildPlugin = {
  name: 'wat',
  setup(b) {
    b.onLoad({ filter: /\.wat$/ }, async (args) => {
      try {
        return { contents: await watToWasm(await readFile(args.path, 'utf8'), displayName(args.path)), loader: 'binary' };
      } catch (e) {
        return { errors: [{ text: e.message }] };
      }
    });
  },
};

/** Vite (vitest): a .wat import is its compiled module, as a Uint8Array. */
export function watVitePlugin() {
  return {
    name: 'wat',
    enforce: 'pre',
    async load(id) {
      const path = id.replace(/\?.*$/, '');
      if (!path.endsWith('.wat')) return null;
      const bytes = await watToWasm(await readFile(path, 'utf8'), displayName(path));
      const base64 = Buffer.from(bytes).toString('base64');
      return { code: `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));\n`, map: null };
    },
  };
}
