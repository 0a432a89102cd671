/**
 * What the kernels share about tensor memory. Float32 views of tensor data for kernels written as
 * plain loops: memory-bound kernels (pool gradients, reductions, tiling) gain nothing from XNNPACK,
 * but the wasm backend's own versions of them are naive per-element index arithmetic; a JS loop over
 * the wasm heap is several times faster. And the WebAssembly SIMD modules (each kernel's .wat) that
 * work on the wasm backend's heap in place, by byte offset.
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

/** The parts of tfjs-backend-wasm's BackendWasm used by the SIMD modules (its emscripten module and tensor table). */
export interface WasmBackend {
  wasm: { asm: { memory: WebAssembly.Memory }; _malloc(bytes: number): number; _free(ptr: number): void };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
}

/** Byte offset of a tensor's data on the wasm heap. */
export const heapOffset = (backend: WasmBackend, info: TensorInfo): number => backend.dataIdMap.get(info.dataId).memoryOffset;

/** A WebAssembly module that works on the wasm backend's heap in place. */
export interface HeapModule<T> {
  /** The module's exports and the backend on a wasm backend, else null (cpu backends: use the JS loops). */
  on(backend: object): { exports: T; backend: WasmBackend } | null;
}

/**
 * The module `bytes` (a kernel's .wat, compiled at build time) importing the backend's own
 * WebAssembly.Memory as env.memory: compiled once per thread and instantiated once per wasm backend,
 * both on first use.
 */
export function heapModule<T>(bytes: Uint8Array<ArrayBuffer>): HeapModule<T> {
  let module: WebAssembly.Module | null = null;
  const instances = new WeakMap<object, T>();
  return {
    on(backend) {
      if (!('dataIdMap' in backend) || !('wasm' in backend)) return null;
      const wasm = backend as unknown as WasmBackend;
      let exports = instances.get(backend);
      if (!exports) {
        module ??= new WebAssembly.Module(bytes);
        exports = new WebAssembly.Instance(module, { env: { memory: wasm.wasm.asm.memory } }).exports as T;
        instances.set(backend, exports);
      }
      return { exports, backend: wasm };
    },
  };
}
