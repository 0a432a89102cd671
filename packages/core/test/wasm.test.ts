// compileWat: the WAT kernels of augment (atan2f) and model (passes) are built with it.
import { describe, expect, it } from 'vitest';
import { compileWat, instantiate, type WasmMemory } from '../src/wasm.ts';

// f32x4.add (SIMD) over n floats at a, b into out, then memory.copy (bulk memory) of out to copy.
const ADD = `(module
  (memory (export "memory") 1)
  (func (export "add") (param $a i32) (param $b i32) (param $out i32) (param $copy i32) (param $bytes i32) (local $i i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.add (v128.load (i32.add (local.get $a) (local.get $i))) (v128.load (i32.add (local.get $b) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (memory.copy (local.get $copy) (local.get $out) (local.get $bytes))))`;

describe('compileWat', () => {
  it('compiles SIMD and bulk-memory WAT to a module that runs', async () => {
    const exports = instantiate(await compileWat('add', ADD));
    const heap = new Float32Array((exports.memory as WasmMemory).buffer);
    const n = 8;
    for (let i = 0; i < n; i++) (heap[i] = i + 0.25), (heap[n + i] = 10 * i);
    (exports.add as (...args: number[]) => void)(0, 4 * n, 8 * n, 12 * n, 4 * n);
    for (let i = 0; i < n; i++) {
      expect(heap[2 * n + i]).toBe(Math.fround(i + 0.25 + 10 * i));
      expect(heap[3 * n + i]).toBe(heap[2 * n + i]);
    }
  });

  it('compiles each text once per thread', async () => {
    const first = compileWat('add', ADD);
    expect(compileWat('add again', ADD)).toBe(first);
    expect(await compileWat('add', `${ADD} `)).not.toBe(await first);
  });

  it('names the module, line and column of a syntax error', async () => {
    await expect(compileWat('broken', '(module\n  (func (i32.ad (i32.const 1))))')).rejects.toThrow(/WebAssembly module 'broken'.*broken\.wat:2:10: error: unexpected token "i32\.ad"/s);
  });

  it('names the module, line and column of an invalid one (a type mismatch)', async () => {
    // Not the file name: wabt.js 1.0.39's validate() sometimes prints it with stray bytes after it.
    await expect(compileWat('mistyped', '(module (func (result i32) (f32.const 1)))')).rejects.toThrow(/WebAssembly module 'mistyped'.*:1:29: error: type mismatch/s);
  });
});
