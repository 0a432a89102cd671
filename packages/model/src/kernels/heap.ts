/**
 * Float32 views of tensor data for kernels written as plain loops: memory-bound kernels (pool
 * gradients, reductions, tiling) gain nothing from XNNPACK, but the wasm backend's own versions of
 * them are naive per-element index arithmetic; a JS loop over the wasm heap is several times faster.
 */
import { util, type TensorInfo } from '@tensorflow/tfjs';

interface WasmLike {
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}
interface CpuLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

const isWasm = (b: object): b is WasmLike => 'typedArrayFromHeap' in b;

/** The float32 values of `info`, without copying. `backend` is a kernel's (typed `{}` by tfjs). */
export function floats(backend: object, info: TensorInfo): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  return isWasm(backend) ? backend.typedArrayFromHeap(info) : (backend as unknown as CpuLike).data.get(info.dataId).values;
}

/** A float32 output of `shape`, zero-filled unless the caller writes every element, and a view to fill it through. */
export function output(backend: object, shape: number[], zeroed = true): { info: TensorInfo; values: Float32Array } {
  if (isWasm(backend)) {
    const info = backend.makeOutput(shape, 'float32');
    const values = backend.typedArrayFromHeap(info);
    if (zeroed) values.fill(0);
    return { info, values };
  }
  const values = new Float32Array(util.sizeFromShape(shape));
  return { info: (backend as unknown as CpuLike).makeTensorInfo(shape, 'float32', values), values };
}
