/**
 * Conv2DBackpropFilter as im2col + one matrix product at GEMM speed:
 *   dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·s + kh·d − pt, ow·s + kw·d − pl, ci] · dy[b,oh,ow,co]
 *                   = (P · dy[B·oH·oW, Co]) with patches P[(kh,kw,ci), (b,oh,ow)],
 * P gathered (conv2d_backprop_filter.wat on the wasm backend) from xᵀ[Ci,B,H,W] padded to the extent the forward conv reads: one run
 * of oW floats per (tap, ci, b, oh). The earlier formulation, a forward conv of xᵀ with dy as a
 * 64×64-tap filter, ran at ~11 GFLOP/s (XNNPACK's indirect GEMM takes only B = 16 channels per tap);
 * P is laid out [taps·Ci, pixels] because tfjs-wasm's BatchMatMul with transposeA or batch > 1 is
 * a naive loop (~1.5 GFLOP/s). On wasm the product itself is the SIMD `product` (product.ts),
 * which reads dy in place: XNNPACK first packs dy (new every step), ~80 ms for the first two layers'.
 * BatchMatMul remains for shapes it doesn't take (Co % 16 ≠ 0, kH·kW·Ci % 3 ≠ 0) and the cpu backends.
 */
import { backend_util, Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { kernelCaller } from './call.ts';
import conv2dBackpropFilterWasm from './conv2d_backprop_filter.wat';
import { floats, heapModule, heapOffset, output } from './heap.ts';
import { product } from './product.ts';
import { winogradFilterGrad, winogradOn } from './winograd.ts';

export function conv2dBackpropFilterConfig(backendName: string): KernelConfig {
  return {
    kernelName: Conv2DBackpropFilter,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const k = kernelCaller(backend, backendName);
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
      let { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const owned: TensorInfo[] = [];
      // NCHW is handled by moving to NHWC first.
      if (dataFormat === 'NCHW') {
        x = k.call('Transpose', { x }, { perm: [0, 2, 3, 1] });
        dy = k.call('Transpose', { x: dy }, { perm: [0, 2, 3, 1] });
        owned.push(x, dy);
      }
      const info = backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co, outHeight: oH, outWidth: oW } = info;
      const { filterHeight: kH, filterWidth: kW, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
      const { top, left } = info.padInfo;
      const w = winogradOn(backend, info);
      if (w) {
        const grad = winogradFilterGrad(k, w, x, dy);
        k.free(...owned);
        return grad;
      }
      // Pad xᵀ to the rows/columns the forward conv reads (from −top/−left); any beyond are never read.
      const bottom = Math.max(0, (oH - 1) * sh + (kH - 1) * dh + 1 - top - H);
      const right = Math.max(0, (oW - 1) * sw + (kW - 1) * dw + 1 - left - W);
      const xt = k.call('Transpose', { x }, { perm: [3, 0, 1, 2] });
      const xp = k.call(
        'PadV2',
        { x: xt },
        {
          paddings: [
            [0, 0],
            [0, 0],
            [top, bottom],
            [left, right],
          ],
          constantValue: 0,
        },
      );
      const [Hx, Wx] = [H + top + bottom, W + left + right];
      const pixels = B * oH * oW;
      const { info: patches } = output(backend, [1, kH * kW * Ci, pixels], false);
      const copy = gather(backend, xp, patches);
      for (let kh = 0; kh < kH; kh++)
        for (let kw = 0; kw < kW; kw++)
          for (let ci = 0; ci < Ci; ci++)
            for (let b = 0; b < B; b++) copy(((ci * B + b) * Hx + kh * dh) * Wx + kw * dw, (((kh * kW + kw) * Ci + ci) * B + b) * oH * oW, oH, oW, sh * Wx, sw);
      const rows = kH * kW * Ci;
      const { info: out } = output(backend, [kH, kW, Ci, Co], false);
      if (product(backend, patches, dy, out, rows, pixels, Co)) {
        k.free(...owned, xt, xp, patches);
        return out;
      }
      k.free(out);
      const dy3 = k.call('Reshape', { x: dy }, { shape: [1, pixels, Co] });
      const prod = k.call('BatchMatMul', { a: patches, b: dy3 }, { transposeA: false, transposeB: false });
      const grad = k.call('Reshape', { x: prod }, { shape: [kH, kW, Ci, Co] });
      k.free(...owned, xt, xp, patches, dy3, prod);
      return grad;
    },
  };
}

/** copy(srcAt, dstAt, count, len, srcStride, step) copies, for runs r < count, src[srcAt + r·srcStride + i·step] to dst[dstAt + r·len + i] (i < len); float indices. */
type GatherFn = (srcAt: number, dstAt: number, count: number, len: number, srcStride: number, step: number) => void;

const simdModule = heapModule<{ gather(src: number, dst: number, count: number, len: number, srcStride: number, step: number): void }>(
  conv2dBackpropFilterWasm,
);

/** A copier from src to dst for im2col: the SIMD gather (bytes) on the wasm backend, else a JS loop. */
function gather(backend: object, src: TensorInfo, dst: TensorInfo): GatherFn {
  const simd = simdModule.on(backend);
  if (simd) {
    const s0 = heapOffset(simd.backend, src);
    const d0 = heapOffset(simd.backend, dst);
    return (srcAt, dstAt, count, len, srcStride, step) => simd.exports.gather(s0 + 4 * srcAt, d0 + 4 * dstAt, count, len, 4 * srcStride, 4 * step);
  }
  const sv = floats(backend, src);
  const dv = floats(backend, dst);
  return (srcAt, dstAt, count, len, srcStride, step) => {
    for (let r = 0; r < count; r++, srcAt += srcStride) for (let i = 0; i < len; i++) dv[dstAt++] = sv[srcAt + i * step];
  };
}
