/** `ser exp show|diff|why`: compare recorded runs. */
import type { Argv } from 'yargs';
import { findRoot } from '@ser/core';

const formatOf = (a: { json?: boolean; csv?: boolean }) => (a.json ? 'json' : a.csv ? 'csv' : 'table');

export const exp = (cli: Argv) =>
  cli.command('exp', 'compare recorded runs', (y) =>
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
          const [{ listRuns }, { expShow }] = await Promise.all([import('../runs.ts'), import('@ser/eval')]);
          const metrics = a.metrics?.split(',').map((m: string) => m.trim());
          console.log(expShow(listRuns(findRoot()), { sortBy: a.sort, ascending: a.asc, allParams: a['all-params'], metrics, format: formatOf(a) }));
        },
      )
      .command(
        'diff <a> <b>',
        'changed params and metric deltas from run A to run B (ids or unique prefixes)',
        (z) =>
          z
            .positional('a', { type: 'string', demandOption: true })
            .positional('b', { type: 'string', demandOption: true })
            .option('json', { type: 'boolean', default: false })
            .option('csv', { type: 'boolean', default: false }),
        async (a) => {
          const [{ findRun }, { expDiff, formatDiff }] = await Promise.all([import('../runs.ts'), import('@ser/eval')]);
          const root = findRoot();
          console.log(formatDiff(expDiff(findRun(root, a.a), findRun(root, a.b)), formatOf(a)));
        },
      )
      .command(
        'why [run]',
        'which stages ran in a run (default: the latest) and why',
        (z) => z.positional('run', { type: 'string' }),
        async (a) => {
          const [{ findRun, listRuns }, { expWhy }] = await Promise.all([import('../runs.ts'), import('@ser/eval')]);
          const root = findRoot();
          const run = a.run ? findRun(root, a.run) : listRuns(root).at(-1);
          if (!run) throw new Error('no recorded runs yet; run `npx ser run`');
          console.log(expWhy(run));
        },
      )
      .demandCommand(1),
  );
