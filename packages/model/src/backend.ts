/**
 * Backend selection. auto: tfjs-node (native TensorFlow) if it loads, else wasm. The wasm backend
 * gets this package's kernels (the missing Conv2DBackpropFilter, fast backward-pass kernels, fused
 * batch norm); it runs single-threaded in Node, so training parallelises across worker threads.
 */
import * as tf from '@tensorflow/tfjs';
import type { Backend } from './params.ts';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { registerFastKernels } from './kernels/register.ts';

const require = createRequire(import.meta.url);

/** Load @tensorflow/tfjs-node (an optional dependency); null when it isn't installed or can't load. */
async function loadNode(): Promise<string | null> {
  try {
    await import('@tensorflow/tfjs-node' as string);
    return 'tensorflow';
  } catch {
    return null;
  }
}

async function useWasm(): Promise<string> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // A file path prefix: Node reads the .wasm binaries from the installed package's dist folder.
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
  registerFastKernels('wasm');
  return 'wasm';
}

/** Make `choice` the active backend; returns the one that runs ('tensorflow' | 'wasm' | 'cpu'). */
export async function initBackend(choice: Backend): Promise<string> {
  switch (choice) {
    case 'node': {
      const name = await loadNode();
      if (!name) throw new Error("backend 'node': @tensorflow/tfjs-node is not installed or failed to load (it needs libtensorflow); use 'auto' or 'wasm'");
      await tf.setBackend(name);
      return name;
    }
    case 'wasm':
      return useWasm();
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      await tf.setBackend('cpu');
      return 'cpu';
    case 'auto': {
      const name = await loadNode();
      if (name) {
        await tf.setBackend(name);
        return name;
      }
      return useWasm();
    }
  }
}
