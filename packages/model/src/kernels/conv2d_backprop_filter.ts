/**
 * Conv2DBackpropFilter as one forward convolution, so it runs on the backend's fast conv (XNNPACK on wasm).
 *
 * dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·s + kh·d − pt, ow·s + kw·d − pl, ci] · dy[b,oh,ow,co]
 * is a convolution of x' = x^T[Ci,H,W,B] (batch Ci, channels B) with the filter dy' = [oH,oW,B,Co],
 * stride d (the forward dilation) and dilation s (the forward stride); its output [Ci,kH,kW,Co] is
 * transposed to [kH,kW,Ci,Co]. Rows/columns of x that no output reads are cropped (no negative pads).
 * With few input channels (the first layer: Ci = 1) that conv has a tiny output and a huge filter,
 * which XNNPACK runs slowly; there the patches P[kH·kW·Ci, B·oH·oW] are gathered (im2col) and
 * dW = P · dy[B·oH·oW, Co] is one matrix product.
 */
import { backend_util, Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { conv2dPadded, kernelCaller, type KernelCaller } from './call.ts';
import { floats, output } from './heap.ts';

/** Patch rows at or below this use im2col (first-layer shapes); above it, the transposed conv. */
const IM2COL_MAX_ROWS = 64;

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
      const { filterHeight: kH, filterWidth: kW, strideHeight: s, strideWidth: sw, outHeight: oH, outWidth: oW } = info;
      const { top, left } = info.padInfo;
      const [B, H, W, Ci] = x.shape;
      if (kH * kW * Ci <= IM2COL_MAX_ROWS) {
        const out = im2colGrad(k, backend, x, dy, info);
        k.free(...owned);
        return out;
      }
      // Extent of x that the forward conv reads, measured from the unpadded origin.
      const usedH = Math.min(H, kH - 1 + (oH - 1) * s + 1 - top);
      const usedW = Math.min(W, kW - 1 + (oW - 1) * sw + 1 - left);
      let xt = k.call('Transpose', { x }, { perm: [3, 1, 2, 0] });
      owned.push(xt);
      if (usedH < H || usedW < W) {
        xt = k.call('Slice', { x: xt }, { begin: [0, 0, 0, 0], size: [Ci, usedH, usedW, B] });
        owned.push(xt);
      }
      const dyt = k.call('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
      const bottom = kH - 1 + (oH - 1) * s + 1 - usedH - top;
      const right = kW - 1 + (oW - 1) * sw + 1 - usedW - left;
      const grad = conv2dPadded(k, xt, dyt, [top, bottom, left, right], [s, sw]);
      const out = k.call('Transpose', { x: grad }, { perm: [1, 2, 0, 3] });
      k.free(...owned, dyt, grad);
      return out;
    },
  };
}

/** dW = im2col(x) · dy for a conv of few input channels. */
function im2colGrad(
  k: KernelCaller,
  backend: object,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co } = info;
  const { filterHeight: kH, filterWidth: kW, strideHeight: s, strideWidth: sw, outHeight: oH, outWidth: oW } = info;
  const { top, left } = info.padInfo;
  const rows = kH * kW * Ci;
  const cols = B * oH * oW;
  const { info: patches, values: p } = output(backend, [1, rows, cols]);
  const xv = floats(backend, x);
  for (let kh = 0; kh < kH; kh++)
    for (let kw = 0; kw < kW; kw++)
      for (let ci = 0; ci < Ci; ci++) {
        const row = ((kh * kW + kw) * Ci + ci) * cols;
        for (let b = 0; b < B; b++)
          for (let oh = 0; oh < oH; oh++) {
            const h = oh * s + kh - top;
            if (h < 0 || h >= H) continue;
            const dst = row + (b * oH + oh) * oW;
            const src = (b * H + h) * W;
            for (let ow = 0; ow < oW; ow++) {
              const w = ow * sw + kw - left;
              if (w >= 0 && w < W) p[dst + ow] = xv[(src + w) * Ci + ci];
            }
          }
      }
  const dy3 = k.call('Reshape', { x: dy }, { shape: [1, cols, Co] });
  const prod = k.call('BatchMatMul', { a: patches, b: dy3 }, { transposeA: false, transposeB: false });
  const out = k.call('Reshape', { x: prod }, { shape: [kH, kW, Ci, Co] });
  k.free(patches, dy3, prod);
  return out;
}
