/**
 * MaxPoolGrad as one pass over the pooling windows: each output's gradient goes to the first
 * maximum of its window in row-major order (the rule of TF and of the tfjs cpu backend), summed
 * where windows overlap. Any stride, pad and dilation; NHWC float32 (others use `fallback`).
 * The 2×2 / stride 2 / unpadded case (every MaxPooling2D of the model) is one pass of its own:
 * SIMD (max_pool_grad.wat) on the wasm backend when C % 4 = 0, else a JS loop.
 */
import { backend_util, MaxPoolGrad, type KernelConfig, type KernelFunc, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs';
import { floats, heapModule, heapOffset, output } from './heap.ts';
import maxPoolGradWasm from './max_pool_grad.wat';

export function maxPoolGradConfig(backendName: string, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: MaxPoolGrad,
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
      if (input.dtype !== 'float32' || dy.dtype !== 'float32') return fallback(args);
      const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
      const c = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
      const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: oH, outWidth: oW } = c;
      const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = c;
      const { effectiveFilterHeight: eH, effectiveFilterWidth: eW } = c;
      const { top, left } = c.padInfo;
      if (eH === 2 && eW === 2 && sh === 2 && sw === 2 && top === 0 && left === 0) {
        // The windows write every dx element unless a row or column is left over.
        const { info } = output(backend, input.shape, H !== 2 * oH || W !== 2 * oW);
        maxPool2x2Grad(backend, input, dy, info, { B, H, W, C, oH, oW });
        return info;
      }
      // Allocate first: a growing wasm heap detaches views taken before.
      const { info, values: dx } = output(backend, input.shape);
      const x = floats(backend, input);
      const g = floats(backend, dy);
      const best = new Float32Array(C);
      const at = new Int32Array(C);
      for (let b = 0; b < B; b++) {
        const xb = b * H * W * C;
        for (let r = 0; r < oH; r++) {
          const r0 = r * sh - top;
          let rMin = r0;
          while (rMin < 0) rMin += dh;
          const rMax = Math.min(H, r0 + eH);
          for (let q = 0; q < oW; q++) {
            const q0 = q * sw - left;
            let qMin = q0;
            while (qMin < 0) qMin += dw;
            const qMax = Math.min(W, q0 + eW);
            best.fill(-Infinity);
            at.fill(-1);
            // Channels innermost: contiguous reads of each window pixel.
            for (let xr = rMin; xr < rMax; xr += dh) {
              for (let xq = qMin; xq < qMax; xq += dw) {
                const base = xb + (xr * W + xq) * C;
                for (let ch = 0; ch < C; ch++) {
                  const v = x[base + ch];
                  if (v > best[ch]) {
                    best[ch] = v;
                    at[ch] = base + ch;
                  }
                }
              }
            }
            const gb = ((b * oH + r) * oW + q) * C;
            for (let ch = 0; ch < C; ch++) if (at[ch] >= 0) dx[at[ch]] += g[gb + ch];
          }
        }
      }
      return info;
    },
  };
}

/** Shape of a 2×2 / stride-2 / unpadded max pool: input [B,H,W,C], output [B,oH,oW,C]. */
interface Pool2x2 {
  B: number;
  H: number;
  W: number;
  C: number;
  oH: number;
  oW: number;
}

const simdModule = heapModule<{
  maxPool2x2Grad(x: number, g: number, dx: number, B: number, H: number, W: number, C: number, oH: number, oW: number): void;
}>(maxPoolGradWasm);

/**
 * MaxPoolGrad of non-overlapping 2×2 windows: the first of the four (row-major) holding the maximum
 * gets dy (TF's rule); dx elements outside every window are left as they are.
 */
function maxPool2x2Grad(backend: object, input: TensorInfo, dy: TensorInfo, dxInfo: TensorInfo, p: Pool2x2): void {
  const { B, H, W, C, oH, oW } = p;
  const simd = simdModule.on(backend);
  if (simd && C % 4 === 0 && B * oH * oW !== 0) {
    const ptr = (info: TensorInfo) => heapOffset(simd.backend, info);
    simd.exports.maxPool2x2Grad(ptr(input), ptr(dy), ptr(dxInfo), B, H, W, C, oH, oW);
    return;
  }
  const x = floats(backend, input);
  const g = floats(backend, dy);
  const dx = floats(backend, dxInfo);
  const row = W * C;
  let gi = 0;
  for (let b = 0; b < B; b++)
    for (let r = 0; r < oH; r++)
      for (let q = 0; q < oW; q++) {
        const p00 = ((b * H + 2 * r) * W + 2 * q) * C;
        for (let ch = 0; ch < C; ch++, gi++) {
          const p0 = p00 + ch;
          const p1 = p0 + C;
          const p2 = p0 + row;
          const p3 = p2 + C;
          let at = p0;
          if (x[p1] > x[at]) at = p1;
          if (x[p2] > x[at]) at = p2;
          if (x[p3] > x[at]) at = p3;
          dx[p0] = dx[p1] = dx[p2] = dx[p3] = 0;
          dx[at] = g[gi];
        }
      }
}
