/**
 * Sum and Mean over leading or trailing axes (the reductions of batch norm, bias and pooling
 * gradients: NHWC over [0,1,2], or over the last axes). The wasm versions transpose the input first.
 * Leading axes: one matrix product xᵀ[m,n] · w[n,1] with w = 1 (Sum) or 1/n (Mean), on XNNPACK;
 * w is kept per (n, weight) so XNNPACK packs it once (it re-packs the constant operand of every new
 * tensor, which made w · x with a fresh x slower than the wasm Sum).
 * Trailing axes: a contiguous pass with float64 accumulators. Other axis sets use `fallback`.
 */
import { backend_util, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { kernelCaller } from './call.ts';
import { floats, output } from './heap.ts';

export function reduceConfig(kernelName: 'Sum' | 'Mean', backendName: string, fallback: KernelFunc): KernelConfig {
  const weights = new Map<string, TensorInfo>();
  return {
    kernelName,
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { x } = inputs as { x: TensorInfo };
      const { axis, keepDims } = attrs as { axis: number | number[]; keepDims: boolean };
      if (x.dtype !== 'float32') return fallback(args);
      const rank = x.shape.length;
      const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
      const leading = axes.every((a, i) => a === i);
      const trailing = axes.every((a, i) => a === rank - axes.length + i);
      if (axes.length === 0 || !(leading || trailing)) return fallback(args);
      const [outShape, reduceShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
      const n = util.sizeFromShape(reduceShape);
      const m = util.sizeFromShape(outShape);
      const shape = keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
      const weight = kernelName === 'Mean' ? 1 / n : 1;
      if (leading) {
        const k = kernelCaller(backend, backendName);
        const key = `${n}:${weight}`;
        if (!weights.has(key)) weights.set(key, k.call('Fill', {}, { shape: [1, n, 1], value: weight, dtype: 'float32' }));
        const x3 = k.call('Reshape', { x }, { shape: [1, n, m] });
        const prod = k.call('BatchMatMul', { a: x3, b: weights.get(key)! }, { transposeA: true, transposeB: false });
        const out = k.call('Reshape', { x: prod }, { shape });
        k.free(x3, prod);
        return out;
      }
      const { info, values: out } = output(backend, shape);
      const v = floats(backend, x);
      for (let r = 0; r < m; r++) {
        let acc = 0;
        const base = r * n;
        for (let c = 0; c < n; c++) acc += v[base + c];
        out[r] = acc * weight;
      }
      return info;
    },
  };
}
