/**
 * out[M, N] = a[M, K] · b[K, N] on the wasm backend's heap by the SIMD module product.wat, for the
 * im2col filter gradient (conv2d_backprop_filter.ts) and the Winograd GEMMs (winograd.ts). It reads
 * b in place: XNNPACK (the wasm backend's BatchMatMul) first packs b, and b is a fresh dy every step
 * (~80 ms for the first two layers' dy); with that, this runs at 12–19 GFLOP/s against XNNPACK's
 * 2–17 on the model's three filter gradients.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { heapModule, heapOffset } from './heap.ts';
import productWasm from './product.wat';

/**
 * out[M,N] (+ out when acc ≠ 0) = A·b[K,N] with A[m,k] at a + m·aRow + k·aStep (all in bytes), N % 16 = 0.
 * Rows go in threes: when M % 3 ≠ 0 the last one or two extra rows of out are written and of A read.
 */
export type ProductFn = (a: number, b: number, out: number, M: number, K: number, N: number, aRow: number, aStep: number, acc: number) => void;

const simdModule = heapModule<{ product: ProductFn }>(productWasm);

/** The SIMD product (byte offsets, see ProductFn) on a wasm backend, else null. */
export function simdProduct(backend: object): ProductFn | null {
  return simdModule.on(backend)?.exports.product ?? null;
}

/**
 * out[M, N] = a[M, K] · b[K, N] (out written whole) by the SIMD product: true where it applies
 * (the wasm backend, N % 16 = 0, M % 3 = 0, K > 0), else false and nothing written (use BatchMatMul).
 */
export function product(backend: object, a: TensorInfo, b: TensorInfo, out: TensorInfo, M: number, K: number, N: number): boolean {
  const simd = simdModule.on(backend);
  if (!simd || N % 16 !== 0 || M % 3 !== 0 || K === 0) return false;
  const ptr = (info: TensorInfo) => heapOffset(simd.backend, info);
  simd.exports.product(ptr(a), ptr(b), ptr(out), M, K, N, 4 * K, 4, 0);
  return true;
}
