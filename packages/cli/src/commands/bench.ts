/** `ser bench features|augment|train`: each package's benchmark as JSON, the folder defaulting to dataset.path. */
import { isAbsolute, join } from 'node:path';
import type { Argv } from 'yargs';
import { findRoot, loadDataset } from '@ser/core';
import { backendChoices } from '../options.ts';

export const bench = (cli: Argv) =>
  cli.command(
    'bench <what>',
    'benchmarks, printed as JSON: features (decode+resample+trim+mel), augment, train',
    (y) =>
      y
        .positional('what', { choices: ['features', 'augment', 'train'] as const, demandOption: true })
        .option('dir', { type: 'string', describe: 'RAVDESS folder (features, augment); default dataset.path' })
        .option('limit', { type: 'number', describe: 'at most this many files' })
        .option('batches', { type: 'number', default: 10, describe: 'train: batches of 32 to time' })
        .option('backend', { choices: backendChoices, default: 'wasm' as const })
        .option('json', { type: 'boolean', default: true, describe: 'JSON output (the only format)' }),
    async (a) => {
      const root = findRoot();
      const dir = () => {
        if (a.dir) return a.dir;
        const { path } = loadDataset(root);
        return isAbsolute(path) ? path : join(root, path);
      };
      const result =
        a.what === 'features'
          ? (await import('@ser/features')).benchFeatures({ dir: dir(), limit: a.limit })
          : a.what === 'augment'
            ? (await import('@ser/augment')).benchAugment({ dir: dir(), limit: a.limit })
            : (await import('@ser/model')).benchTrain({ batches: a.batches, backend: a.backend });
      console.log(JSON.stringify(await result, null, 2));
    },
  );
