/**
 * `ser`: the command line. Each command loads only what it needs, so `ser key` (run by Nx for
 * every stage's cache key) stays fast.
 */
import { resolve } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { STAGE_NAMES, type Backend, type StageName } from '@ser/core/params';
import { findRoot } from '@ser/core/layout';
import { overridesFromEnv, parseOverride } from '@ser/core/pipeline';
import { stageModules } from './stage-modules.ts';

const setOption = {
  type: 'string',
  array: true,
  default: [] as string[],
  describe: 'override a param: stage.key=value (repeatable)',
} as const;

export function buildCli(argv: string[]) {
  return yargs(argv)
    .scriptName('ser')
    .strict()
    .demandCommand(1)
    .recommendCommands()
    .command(
      'run',
      'run the pipeline through Nx (only stages whose code, params or inputs changed), then record the run',
      (y) =>
        y
          .option('set', setOption)
          .option('stage', { type: 'string', choices: [...STAGE_NAMES, 'all'], default: 'all', describe: 'run up to this stage' })
          .option('skip-nx-cache', { type: 'boolean', default: false, describe: 'ignore the Nx cache (rerun every stage)' }),
      async (a) => {
        const { runPipeline } = await import('./run.ts');
        process.exitCode = await runPipeline(findRoot(), {
          overrides: Object.fromEntries(a.set.map(parseOverride)),
          target: a.stage,
          skipCache: a['skip-nx-cache'],
        });
      },
    )
    .command(
      'stage <name>',
      'run one stage now, without Nx (what each Nx target runs)',
      (y) => y.positional('name', { choices: STAGE_NAMES, demandOption: true }).option('set', setOption),
      async (a) => {
        const { runStage } = await import('@ser/core/run-stage');
        await runStage(findRoot(), a.name as StageName, stageModules, { overrides: { ...overridesFromEnv(), ...Object.fromEntries(a.set.map(parseOverride)) } });
      },
    )
    .command(
      'key <name>',
      "print a stage's runtime cache key (an Nx runtime input)",
      (y) => y.positional('name', { choices: STAGE_NAMES, demandOption: true }),
      async (a) => {
        const { stageKey } = await import('@ser/core/stage-key');
        console.log(await stageKey(findRoot(), a.name as StageName, stageModules, overridesFromEnv()));
      },
    )
    .command(
      'record',
      'record the current outputs as a run in data/runs (the last step of `nx run pipeline:all`)',
      (y) => y,
      async () => {
        const { recordRun } = await import('./runs.ts');
        await recordRun(findRoot(), overridesFromEnv());
      },
    )
    .command(
      'data ravdess',
      'download RAVDESS speech (Zenodo record 1188976, Audio_Speech_Actors_01-24.zip) or import a copy, verify every WAV, put it into dataset.path',
      (y) =>
        y
          .option('from', { type: 'string', describe: 'import this zip or folder (holding Actor_XX folders) instead of downloading' })
          .option('to', { type: 'string', describe: 'destination (default: dataset.path of pipeline.yaml)' })
          .option('url', { type: 'string', describe: 'download from here (default: https://zenodo.org/records/1188976/files/Audio_Speech_Actors_01-24.zip?download=1)' })
          .option('cache-dir', { type: 'string', describe: 'keep the download in <dir>/ravdess/ (default: $SER_CACHE_DIR, else $XDG_CACHE_HOME/ser, else ~/.cache/ser)' })
          .option('retries', { type: 'number', default: 4, describe: 'retries on network errors and 5xx, with exponential backoff from 1 s ($SER_RETRY_DELAY_MS)' }),
      async (a) => {
        const { dataRavdess } = await import('./data.ts');
        await dataRavdess(findRoot(), { from: a.from, to: a.to, url: a.url, cacheDir: a['cache-dir'], retries: a.retries });
      },
    )
    .command(
      'features <input>',
      'log-Mel features of one WAV file, exactly as the trim and mel stages compute them',
      (y) =>
        y
          .positional('input', { type: 'string', demandOption: true })
          .option('out', { type: 'string', demandOption: true, describe: 'output Arrow file' })
          .option('raw', { type: 'boolean', default: false, describe: 'all frames ([nMels, T]) instead of mel.frames' })
          .option('set', setOption),
      async (a) => {
        const { writeFeatures } = await import('./features.ts');
        writeFeatures(findRoot(), a.input, a.out, a.raw, Object.fromEntries(a.set.map(parseOverride)));
      },
    )
    .command(
      'bench <what>',
      'benchmarks, printed as JSON: features (decode+resample+trim+mel), augment, train',
      (y) =>
        y
          .positional('what', { choices: ['features', 'augment', 'train'] as const, demandOption: true })
          .option('dir', { type: 'string', describe: 'RAVDESS folder (features, augment); default dataset.path' })
          .option('limit', { type: 'number', describe: 'at most this many files' })
          .option('batches', { type: 'number', default: 10, describe: 'train: batches of 32 to time' })
          .option('backend', { type: 'string', choices: ['auto', 'node', 'wasm', 'cpu'] as const, default: 'wasm' })
          .option('json', { type: 'boolean', default: true, describe: 'JSON output (the only format)' }),
      async (a) => {
        const { runBench } = await import('./bench.ts');
        console.log(JSON.stringify(await runBench(findRoot(), { ...a, backend: a.backend as Backend }), null, 2));
      },
    )
    .command(
      'predict <files..>',
      "the emotion of WAV files (any sample rate or channel count), with a recorded run's model",
      (y) =>
        y
          .positional('files', { type: 'string', array: true, demandOption: true })
          .option('run', { type: 'string', describe: 'run id (or unique prefix); default: the latest' })
          .option('backend', { type: 'string', choices: ['auto', 'node', 'wasm', 'cpu'] as const, describe: "default: the run's eval backend" })
          .option('json', { type: 'boolean', default: false }),
      async (a) => {
        const { predict, formatPrediction } = await import('./predict.ts');
        const result = await predict(findRoot(), a.files, { run: a.run, backend: a.backend });
        if (a.json) console.log(JSON.stringify(result, null, 2));
        else for (const p of result.predictions) p.error ? console.error(`error: ${p.error}`) : console.log(formatPrediction(p as Parameters<typeof formatPrediction>[0]));
        if (result.predictions.some((p) => p.error)) process.exitCode = 1;
      },
    )
    .command(
      'eda',
      "PNG comparing two emotions' log-Mel spectrograms (examples, class means, difference), from the mel stage",
      (y) =>
        y
          .option('out', { type: 'string', default: 'data/eda/angry-vs-sad.png' })
          .option('a', { type: 'string', default: 'angry', describe: 'first class' })
          .option('b', { type: 'string', default: 'sad', describe: 'second class' }),
      async (a) => {
        const { writeEda } = await import('./eda.ts');
        const root = findRoot();
        await writeEda(root, resolve(root, a.out), a.a, a.b);
      },
    )
    .command('exp', 'compare recorded runs', (y) =>
      y
        .command(
          'show',
          'one row per run: the params that differ between runs and the key metrics',
          (z) =>
            z
              .option('sort', { type: 'string', describe: 'sort by a column (e.g. test.macroF1, train.learningRate)' })
              .option('asc', { type: 'boolean', describe: 'ascending (default: descending for metrics)' })
              .option('all-params', { type: 'boolean', default: false, describe: 'every param, not only those that differ' })
              .option('metrics', { type: 'string', describe: 'metric columns, comma-separated paths into metrics.json (default: key metrics)' })
              .option('csv', { type: 'boolean', default: false })
              .option('json', { type: 'boolean', default: false }),
          async (a) => {
            const [{ listRuns }, { expShow }] = await Promise.all([import('./runs.ts'), import('@ser/eval')]);
            const format = a.json ? 'json' : a.csv ? 'csv' : 'table';
            const metrics = a.metrics?.split(',').map((m: string) => m.trim());
            console.log(expShow(listRuns(findRoot()), { sortBy: a.sort, ascending: a.asc, allParams: a['all-params'], metrics, format }));
          },
        )
        .command(
          'diff <a> <b>',
          'changed params and metric deltas from run A to run B (ids or unique prefixes)',
          (z) => z.positional('a', { type: 'string', demandOption: true }).positional('b', { type: 'string', demandOption: true }).option('json', { type: 'boolean', default: false }).option('csv', { type: 'boolean', default: false }),
          async (a) => {
            const [{ findRun }, { expDiff, formatDiff }] = await Promise.all([import('./runs.ts'), import('@ser/eval')]);
            const root = findRoot();
            console.log(formatDiff(expDiff(findRun(root, a.a), findRun(root, a.b)), a.json ? 'json' : a.csv ? 'csv' : 'table'));
          },
        )
        .command(
          'why [run]',
          'which stages ran in a run (default: the latest) and why',
          (z) => z.positional('run', { type: 'string' }),
          async (a) => {
            const [{ findRun, listRuns }, { expWhy }] = await Promise.all([import('./runs.ts'), import('@ser/eval')]);
            const root = findRoot();
            const run = a.run ? findRun(root, a.run) : listRuns(root).at(-1);
            if (!run) throw new Error('no recorded runs yet; run `npx ser run`');
            console.log(expWhy(run));
          },
        )
        .demandCommand(1),
    )
    .fail((msg, err) => {
      console.error(err ? `error: ${err.message}` : `${msg}\n(see ser --help)`);
      if (err && process.env.SER_DEBUG) console.error(err.stack);
      process.exit(1);
    })
    .help();
}

await buildCli(hideBin(process.argv)).parseAsync();
