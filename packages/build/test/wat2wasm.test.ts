// WAT compiled at build time: watToWasm itself, the vitest plugin (this file's .wat import) and the
// esbuild plugin inside bundle.js (a bundle that imports a .wat runs from its cache folder).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundle } from '../src/bundle.js';
import { watToWasm } from '../src/wat2wasm.js';
import addBytes from './fixtures/add.wat';

const ADD = join(import.meta.dirname, 'fixtures/add.wat');

/** Runs the fixture's add over 8 floats: out = a + b, copy = out. */
function runAdd(bytes: Uint8Array<ArrayBuffer>) {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const heap = new Float32Array((exports.memory as WebAssembly.Memory).buffer);
  const n = 8;
  for (let i = 0; i < n; i++) ((heap[i] = i + 0.25), (heap[n + i] = 10 * i));
  (exports.add as (...args: number[]) => void)(0, 4 * n, 8 * n, 12 * n, 4 * n);
  for (let i = 0; i < n; i++) {
    expect(heap[2 * n + i]).toBe(Math.fround(i + 0.25 + 10 * i));
    expect(heap[3 * n + i]).toBe(heap[2 * n + i]);
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'ser-wat-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('watToWasm', () => {
  it('compiles SIMD and bulk-memory WAT to a module that runs', async () => {
    runAdd(await watToWasm(readFileSync(ADD, 'utf8'), 'add.wat'));
  });

  it('names the file, line and column of a syntax error', async () => {
    await expect(watToWasm('(module\n  (func (i32.ad (i32.const 1))))', 'kernels/broken.wat')).rejects.toThrow(
      /^kernels\/broken\.wat:2:10: error: unexpected token "i32\.ad", expected an instr\.\n {2}\(func \(i32\.ad/,
    );
  });

  it('names the file, line and column of an invalid module (a type mismatch)', async () => {
    // wabt's own message prints the name with stray bytes after it here ("mistyped.wat3:1:29").
    await expect(watToWasm('(module (func (result i32) (f32.const 1)))', 'mistyped.wat')).rejects.toThrow(/^mistyped\.wat:1:29: error: type mismatch/);
  });
});

describe('.wat imports', () => {
  it('give the compiled module under vitest (watVitePlugin)', () => {
    expect(addBytes).toBeInstanceOf(Uint8Array);
    runAdd(addBytes);
  });

  it('are inlined into esbuild bundles (bundle.js), so the bundle runs from its cache folder', async () => {
    const entry = join(scratch, 'module.ts');
    writeFileSync(join(scratch, 'package.json'), '{"type":"module"}');
    writeFileSync(entry, `import bytes from ${JSON.stringify(ADD)};\nexport default bytes;\n`);
    const built = await bundle('wat-test', `export { default } from ${JSON.stringify(entry)};\n`, entry);
    expect(built.startsWith(join(scratch, 'node_modules'))).toBe(true);
    const bytes = (await import(built)).default as Uint8Array<ArrayBuffer>;
    expect(bytes).toEqual(await watToWasm(readFileSync(ADD, 'utf8'), 'add.wat'));
    runAdd(bytes);
  });

  it('fail the bundle with the .wat file, line and column', async () => {
    const bad = join(scratch, 'bad.wat');
    writeFileSync(bad, '(module\n  (func (result i32)\n    (f32.const 1)))\n');
    const entry = join(scratch, 'bad.ts');
    writeFileSync(entry, `import bytes from './bad.wat';\nexport default bytes;\n`);
    await expect(bundle('wat-bad', `export { default } from ${JSON.stringify(entry)};\n`, entry)).rejects.toThrow(/bad\.wat:3:6: error: type mismatch/);
  });
});
