/**
 * Conv2DBackpropInput for stride 1 as one forward convolution with the spatially flipped,
 * in/out-swapped filter (the classic "full convolution" identity), so it runs on the fast conv:
 * dx[b,h,w,ci] = Σ dy[b, h + pt − kh, w + pl − kw, co] · W[kh,kw,ci,co]
 *             = conv(dy, W'[kh',kw',co,ci] = W[kH−1−kh', kW−1−kw', ci, co], pads kH−1−pt / kW−1−pl).
 * Strided convolutions, NCHW and pads wider than the filter use the backend's own kernel, passed in as `fallback`.
 */
import { backend_util, Conv2DBackpropInput, type Conv2DBackpropInputAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { conv2dPadded, kernelCaller } from './call.ts';

export function conv2dBackpropInputConfig(backendName: string, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: Conv2DBackpropInput,
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
      const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
      if (dataFormat === 'NCHW') return fallback(args);
      const info = backend_util.computeConv2DInfo(
        inputShape,
        filter.shape as [number, number, number, number],
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      if (info.strideHeight !== 1 || info.strideWidth !== 1) return fallback(args);
      const k = kernelCaller(backend, backendName);
      const { filterHeight: kH, filterWidth: kW, inHeight: H, inWidth: W, outHeight: oH, outWidth: oW } = info;
      const top = kH - 1 - info.padInfo.top;
      const left = kW - 1 - info.padInfo.left;
      const bottom = H - oH + kH - 1 - top;
      const right = W - oW + kW - 1 - left;
      // Explicit pads wider than the filter would need negative pads here: leave those to the fallback.
      if (Math.min(top, left, bottom, right) < 0) return fallback(args);
      const flipped = k.call('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = k.call('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
      const out = conv2dPadded(k, dy, swapped, [top, bottom, left, right], [1, 1]);
      k.free(flipped, swapped);
      return out;
    },
  };
}
