/**
 * Identity without a copy: the output shares the input's data and bumps its reference count, as the
 * cpu backend does (tensor data is immutable in TF.js). The wasm version copies, and the engine runs
 * Identity for every tensor an op saves for its gradient, so each training step copied every large
 * activation once more. Strings use `fallback`.
 */
import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';

export function identityConfig(backendName: string, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: Identity,
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      if (x.dtype === 'string') return fallback(args);
      (args.backend as { incRef(dataId: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
  };
}
