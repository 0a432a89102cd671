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
        .option('preset', { type: 'string', array: true, describe: 'train: the recipes whose models are timed (default: seed-cnn and the default preset)' })
        .option('peer', { type: 'string', describe: 'train: then time this PyTorch peer (../shared/peers/torch_cnn.py --bench) and give ours ÷ its' })
        .option('python', { type: 'string', default: '/usr/bin/python3', describe: 'train: the Python that runs --peer (needs torch)' })
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
            : benchTrainAndPeer(a);
      console.log(JSON.stringify(await result, null, 2));
    },
  );

/** Each preset's model, one after another, then the peer in the same minutes. */
async function benchTrainAndPeer(a: { batches: number; backend: (typeof backendChoices)[number]; preset?: string[]; peer?: string; python: string }) {
  const { benchTrain, runTorchPeer, ratioToPeer } = await import('@ser/model');
  const { DEFAULT_PRESET, presets } = await import('@ser/model/params');
  const names = a.preset ?? [...new Set(['seed-cnn', DEFAULT_PRESET])];
  for (const n of names) if (!(n in presets)) throw new Error(`--preset ${n}: no such preset (${Object.keys(presets).join(', ')})`);
  const runs: Record<string, unknown>[] = [];
  for (const preset of names) runs.push(await benchTrain({ batches: a.batches, backend: a.backend, preset: preset as keyof typeof presets }));
  if (!a.peer) return { runs };
  const peer = await runTorchPeer(a.peer, runs[0].workers as number, a.python);
  return { runs: runs.map((r) => ({ ...r, ratioToPeer: ratioToPeer(r, peer) })), peer };
}
