/**
 * Tile by block copies: working from the innermost axis out, each axis repeats its whole
 * contiguous block `reps` times with TypedArray.copyWithin (memcpy), instead of an index
 * computation per output element. float32 only (others use `fallback`).
 */
import { Tile, util, type KernelConfig, type KernelFunc, type TensorInfo, type TileAttrs } from '@tensorflow/tfjs';
import { floats, output } from './heap.ts';

export function tileConfig(backendName: string, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: Tile,
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { x } = inputs as { x: TensorInfo };
      const { reps } = attrs as unknown as TileAttrs;
      if (x.dtype !== 'float32') return fallback(args);
      const rank = x.shape.length;
      const outShape = x.shape.map((d, i) => d * reps[i]);
      const { info, values: out } = output(backend, outShape);
      const src = floats(backend, x);
      // Place x's rows at their tiled positions: out viewed as [...outer, inner] with strides of outShape.
      const inner = x.shape[rank - 1];
      const outer = util.sizeFromShape(x.shape.slice(0, -1));
      const outStrides = util.computeStrides(outShape);
      const inStrides = util.computeStrides(x.shape);
      for (let row = 0; row < outer; row++) {
        let dst = 0;
        let rest = row * inner;
        for (let a = 0; a < rank - 1; a++) {
          const idx = Math.floor(rest / inStrides[a]);
          rest -= idx * inStrides[a];
          dst += idx * outStrides[a];
        }
        out.set(src.subarray(row * inner, row * inner + inner), dst);
      }
      // Now repeat blocks, innermost axis first. After handling axis a, the block
      // [idx_0..idx_{a-1}, 0..outShape[a]) is complete for every original prefix.
      for (let a = rank - 1; a >= 0; a--) {
        if (reps[a] === 1) continue;
        const block = x.shape[a] * (a + 1 < rank ? outStrides[a] : 1);
        const prefixCount = util.sizeFromShape(x.shape.slice(0, a));
        for (let p = 0; p < prefixCount; p++) {
          let start = 0;
          let rest = p;
          for (let b = a - 1; b >= 0; b--) {
            const idx = rest % x.shape[b];
            rest = Math.floor(rest / x.shape[b]);
            start += idx * (b + 1 < rank ? outStrides[b] : 1);
          }
          for (let k = 1; k < reps[a]; k++) out.copyWithin(start + k * block, start, start + block);
        }
      }
      return info;
    },
  };
}
