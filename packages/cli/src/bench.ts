/** `ser bench …`: each package's benchmark, with the folder defaulting to dataset.path. */
import { isAbsolute, join } from 'node:path';
import { PIPELINE_FILE, loadPipeline, type Backend } from '@ser/core';

export async function runBench(
  root: string,
  { what, dir, limit, batches, backend }: { what: 'features' | 'augment' | 'train'; dir?: string; limit?: number; batches: number; backend: Backend },
): Promise<object> {
  const datasetDir = () => {
    if (dir) return dir;
    const { path } = loadPipeline(join(root, PIPELINE_FILE)).dataset;
    return isAbsolute(path) ? path : join(root, path);
  };
  switch (what) {
    case 'features':
      return (await import('@ser/features')).benchFeatures({ dir: datasetDir(), limit });
    case 'augment':
      return (await import('@ser/augment')).benchAugment({ dir: datasetDir(), limit });
    case 'train':
      return (await import('@ser/model')).benchTrain({ batches, backend });
  }
}
