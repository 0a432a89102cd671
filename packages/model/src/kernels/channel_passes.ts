/**
 * The per-channel passes of batch norm over channels-last data (rows of C floats): the sums of the
 * moments and of the gradient, the affine map of the normalisation (training and inference) and the
 * input gradient's scale-and-subtract. On the wasm backend they run as the SIMD module
 * channel_passes.wat on tensor data in place (JS loops at ~6 ns/element made batch norm a quarter of
 * a training step); on the cpu backends, and for C not a multiple of 4, as JS loops (float64
 * accumulators).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import channelPassesWasm from './channel_passes.wat';
import { floats, heapModule, heapOffset, type WasmBackend } from './heap.ts';

/** u, v, x, y, dy, dx are [rows, C] tensors, vectors have C entries. */
export interface ChannelPasses {
  /** [Σᵢ u[i,c], Σᵢ u[i,c]·(v[i,c] − m[c])] per channel, accumulated in float64. */
  sums(u: TensorInfo, v: TensorInfo, m: Float32Array, C: number): [Float64Array, Float64Array];
  /** y[i,c] = x[i,c]·scale[c] + shift[c]. */
  affine(x: TensorInfo, y: TensorInfo, scale: Float32Array, shift: Float32Array): void;
  /** dx[i,c] = k[c]·dy[i,c] − b[c]·x[i,c] − a[c] (the batch-norm input gradient, rearranged). */
  scaleSub(dy: TensorInfo, x: TensorInfo, dx: TensorInfo, k: Float32Array, b: Float32Array, a: Float32Array): void;
}

/** channel_passes.wat: byte offsets; n rows of C floats. */
interface SimdExports {
  sums(u: number, v: number, m: number, n: number, C: number, part: number, tot: number): void;
  affine(x: number, y: number, s: number, t: number, n: number, C: number): void;
  scaleSub(dy: number, x: number, dx: number, k: number, b: number, a: number, n: number, C: number): void;
}

const jsPasses = (backend: object): ChannelPasses => ({
  sums(u, v, m, C) {
    const uv = floats(backend, u);
    const vv = floats(backend, v);
    const su = new Float64Array(C);
    const suv = new Float64Array(C);
    for (let i = 0; i < uv.length; i += C)
      for (let c = 0; c < C; c++) {
        su[c] += uv[i + c];
        suv[c] += uv[i + c] * (vv[i + c] - m[c]);
      }
    return [su, suv];
  },
  affine(x, y, scale, shift) {
    const xv = floats(backend, x);
    const yv = floats(backend, y);
    const C = scale.length;
    for (let i = 0; i < xv.length; i += C) for (let c = 0; c < C; c++) yv[i + c] = xv[i + c] * scale[c] + shift[c];
  },
  scaleSub(dy, x, dx, k, b, a) {
    const dyv = floats(backend, dy);
    const xv = floats(backend, x);
    const dxv = floats(backend, dx);
    const C = k.length;
    for (let i = 0; i < xv.length; i += C) for (let c = 0; c < C; c++) dxv[i + c] = k[c] * dyv[i + c] - b[c] * xv[i + c] - a[c];
  },
});

function simdPasses(backend: WasmBackend, simd: SimdExports): ChannelPasses {
  const js = jsPasses(backend);
  const ptr = (info: TensorInfo) => heapOffset(backend, info);
  const rows = (info: TensorInfo, C: number) => info.shape.reduce((p, d) => p * d, 1) / C;
  /** Scratch on the backend's heap for the per-channel vectors (3·C floats) and sums' partials/totals. */
  const withScratch = <T>(C: number, vectors: Float32Array[], f: (at: number[], part: number, tot: number) => T): T => {
    const bytes = 4 * C * (vectors.length + 2) + 16 * C;
    const base = backend.wasm._malloc(bytes + 16);
    const start = (base + 15) & ~15; // 16-byte aligned SIMD loads
    try {
      const heap = new Float32Array(backend.wasm.asm.memory.buffer);
      const at = vectors.map((vec, i) => {
        heap.set(vec, start / 4 + i * C);
        return start + 4 * i * C;
      });
      const part = start + 4 * C * vectors.length;
      const tot = part + 8 * C;
      new Float64Array(backend.wasm.asm.memory.buffer, tot, 2 * C).fill(0);
      return f(at, part, tot);
    } finally {
      backend.wasm._free(base);
    }
  };
  return {
    sums(u, v, m, C) {
      if (C % 4 !== 0) return js.sums(u, v, m, C);
      return withScratch(C, [m], ([mp], part, tot) => {
        simd.sums(ptr(u), ptr(v), mp, rows(u, C), C, part, tot);
        const t = new Float64Array(backend.wasm.asm.memory.buffer, tot, 2 * C);
        return [t.slice(0, C), t.slice(C)];
      });
    },
    affine(x, y, scale, shift) {
      const C = scale.length;
      if (C % 4 !== 0) return js.affine(x, y, scale, shift);
      withScratch(C, [scale, shift], ([s, t]) => simd.affine(ptr(x), ptr(y), s, t, rows(x, C), C));
    },
    scaleSub(dy, x, dx, k, b, a) {
      const C = k.length;
      if (C % 4 !== 0) return js.scaleSub(dy, x, dx, k, b, a);
      withScratch(C, [k, b, a], ([kp, bp, ap]) => simd.scaleSub(ptr(dy), ptr(x), ptr(dx), kp, bp, ap, rows(x, C), C));
    },
  };
}

const simdModule = heapModule<SimdExports>(channelPassesWasm);
const simdByBackend = new WeakMap<object, ChannelPasses>();

/** The passes for `backend`: the SIMD module on the wasm backend, else JS loops. */
export function channelPasses(backend: object): ChannelPasses {
  const simd = simdModule.on(backend);
  if (!simd) return jsPasses(backend);
  let p = simdByBackend.get(backend);
  if (!p) {
    p = simdPasses(simd.backend, simd.exports);
    simdByBackend.set(backend, p);
  }
  return p;
}
