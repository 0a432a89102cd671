/**
 * The page's scripts, bundled for the browser by esbuild when the server starts, and the WebAssembly
 * files they fetch, read from the installed npm packages: everything the page loads comes from this
 * server (no CDN). The bundle includes @ser/features' extract path and @ser/dsp as the pipeline runs
 * them (decoders, resampler, log-Mel), @ser/model's predictProbabilities, @ser/eval's figure specs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { watEsbuildPlugin } from '@ser/build/wat2wasm';

export interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

const require = createRequire(import.meta.url);
const page = (file: string) => fileURLToPath(new URL(`./page/${file}`, import.meta.url));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.wasm': 'application/wasm',
};
export const typeOf = (name: string) => TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';

/** The files the page fetches by URL rather than imports: PFFFT's module (beside the script that loads it) and the TF.js wasm backends. */
function wasmFiles(): [string, string][] {
  const pffft = join(dirname(require.resolve('@echogarden/pffft-wasm/simd')), 'pffft.wasm');
  const tfjs = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  const backends = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
  return [[`/assets/${basename(pffft)}`, pffft], ...backends.map((f): [string, string] => [`/assets/tfjs/${f}`, join(tfjs, f)])];
}

/** Every asset by URL path (`/`, `/assets/...`). */
export async function buildPageAssets(): Promise<Map<string, Asset>> {
  const result = await build({
    entryPoints: { main: page('main.ts'), 'recorder-worklet': page('recorder-worklet.ts') },
    bundle: true,
    // Chunks load on demand: a decoder (or ogg-opus-decoder's unused ML variant) only when needed.
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outdir: '/assets',
    chunkNames: 'chunk-[hash]',
    write: false,
    logLevel: 'silent',
    // PFFFT's Emscripten glue imports Node's `module` on its Node branch only, never taken in a browser.
    external: ['module'],
    plugins: [watEsbuildPlugin],
  });
  // Copies on ArrayBuffers of their own, as Response bodies want them; the type from the file's name.
  const asset = (url: string, name: string, bytes: Uint8Array): [string, Asset] => [url, { body: new Uint8Array(bytes), type: typeOf(name) }];
  const assets = new Map(result.outputFiles.map((f) => asset(f.path, f.path, f.contents)));
  for (const [url, file] of wasmFiles()) assets.set(...asset(url, file, readFileSync(file)));
  assets.set(...asset('/', 'index.html', readFileSync(page('index.html'))));
  assets.set(...asset('/assets/style.css', 'style.css', readFileSync(page('style.css'))));
  return assets;
}
