/** Test helpers: the backends under test and a closeness check with a stated tolerance. */
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { expect } from 'vitest';
import { initBackend } from '../src/backend.ts';
import { registerFastKernels } from '../src/kernels/register.ts';

/** 'cpu' stays the untouched reference; 'cpu-fast' is cpu with this package's kernels; 'wasm' has them too. */
export async function setupBackends(): Promise<string[]> {
  await initBackend('cpu');
  if (!tf.findBackend('cpu-fast')) {
    tf.registerBackend('cpu-fast', () => new MathBackendCPU());
    for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'cpu-fast' });
    registerFastKernels('cpu-fast');
  }
  await initBackend('wasm');
  return ['cpu-fast', 'wasm'];
}

/** Run `f` on `backend` and return its outputs as plain arrays. */
export async function on(backend: string, f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => t.dataSync() as Float32Array);
  tf.dispose(list);
  return values;
}

/** max |a − e| / (1 + |e|) ≤ tol, element-wise. */
export function expectClose(actual: Float32Array, expected: Float32Array, tol: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i]));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${what}: worst relative error at ${at} (got ${actual[at]}, want ${expected[at]})`).toBeLessThanOrEqual(tol);
}

/** Deterministic pseudo-random values (so each backend sees the same inputs). */
export function values(n: number, seed: number, quantize = 0): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = s / 4294967296 - 0.5;
    return quantize ? Math.round(v * quantize) / quantize : v;
  });
}
