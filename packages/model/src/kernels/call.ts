/**
 * Kernels here are written TF.js style: a kernel calls other kernels of the same backend through the
 * registry on TensorInfos and frees its intermediates, so nothing lands on the gradient tape.
 */
import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';

export type Inputs = Record<string, TensorInfo>;

/** Calls kernels of one backend (the registry is keyed by backend name, which the instance doesn't carry). */
export interface KernelCaller {
  call(name: string, inputs: Inputs, attrs?: NamedAttrMap): TensorInfo;
  free(...infos: TensorInfo[]): void;
}

/** Stride-1 NHWC convolution with explicit pads [top, bottom, left, right] (each ≥ 0) and dilations. */
export function conv2dPadded(k: KernelCaller, x: TensorInfo, filter: TensorInfo, pads: number[], dilations: [number, number]): TensorInfo {
  const [top, bottom, left, right] = pads;
  return k.call(
    'Conv2D',
    { x, filter },
    {
      strides: [1, 1],
      dilations,
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dimRoundingMode: undefined as unknown as string,
    },
  );
}

export function kernelCaller(backend: object, backendName: string): KernelCaller {
  const b = backend as KernelBackend;
  return {
    call(name, inputs, attrs = {}) {
      const config = getKernel(name, backendName);
      if (!config) throw new Error(`kernel '${name}' is not registered for backend '${backendName}'`);
      return config.kernelFunc({ inputs, backend: b, attrs }) as TensorInfo;
    },
    free(...infos) {
      for (const info of infos) b.disposeData(info.dataId);
    },
  };
}
