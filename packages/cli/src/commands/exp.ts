/** `ser exp show|diff|why`: compare recorded runs. */
import type { Argv } from 'yargs';
import { findRoot } from '@ser/core';
import { overridesOf, setOption } from '../options.ts';

const formatOf = (a: { json?: boolean; csv?: boolean }) => (a.json ? 'json' : a.csv ? 'csv' : 'table');
const groupOption = { type: 'boolean', default: true, describe: 'runs that differ only in seeds as one row / side (--no-group: each run on its own)' } as const;

export const exp = (cli: Argv) =>
  cli.command('exp', 'compare recorded runs', (y) =>
    y
      .command(
        'show',
        'one row per configuration (seed repeats grouped): the params that differ and the key metrics with their intervals',
        (z) =>
          z
            .option('sort', { type: 'string', describe: 'sort by a column (e.g. test.macroF1, train.learningRate)' })
            .option('asc', { type: 'boolean', describe: 'ascending (default: descending for metrics)' })
            .option('all-params', { type: 'boolean', default: false, describe: 'every param, not only those that differ' })
            .option('metrics', { type: 'string', describe: 'metric columns, comma-separated paths into metrics.json (default: key metrics)' })
            .option('group', groupOption)
            .option('csv', { type: 'boolean', default: false })
            .option('json', { type: 'boolean', default: false }),
        async (a) => {
          const [{ listRuns }, { expShow }] = await Promise.all([import('../runs.ts'), import('@ser/eval')]);
          const metrics = a.metrics?.split(',').map((m: string) => m.trim());
          console.log(
            expShow(listRuns(findRoot()), { sortBy: a.sort, ascending: a.asc, allParams: a['all-params'], metrics, group: a.group, format: formatOf(a) }),
          );
        },
      )
      .command(
        'diff <a> <b>',
        'from run A to run B (ids or unique prefixes; with their seed repeats unless --no-group): changed params, metric deltas with a 95% interval and a verdict',
        (z) =>
          z
            .positional('a', { type: 'string', demandOption: true })
            .positional('b', { type: 'string', demandOption: true })
            .option('atol', { type: 'number', default: 0, describe: 'hide deltas smaller than this; verdicts call them within tolerance' })
            .option('group', groupOption)
            .option('json', { type: 'boolean', default: false })
            .option('csv', { type: 'boolean', default: false }),
        async (a) => {
          const [{ findRun, listRuns }, { expDiff, formatDiff, groupRuns }, { readRunPredictions, runsDir }] = await Promise.all([
            import('../runs.ts'),
            import('@ser/eval'),
            import('@ser/core'),
          ]);
          const root = findRoot();
          const groups = groupRuns(listRuns(root), a.group);
          const groupOf = (id: string) => {
            const run = findRun(root, id);
            return groups.find((g) => g.runs.some((r) => r.id === run.id))!;
          };
          console.log(
            formatDiff(expDiff(groupOf(a.a), groupOf(a.b), { atol: a.atol, predictions: (run) => readRunPredictions(runsDir(root), run) }), formatOf(a)),
          );
        },
      )
      .command(
        'run',
        'a parameter sweep: queue every combination of the -S values, and run the queue one entry after another (--queue: only queue)',
        (z) =>
          z
            .option('S', {
              alias: 'set-param',
              type: 'string',
              array: true,
              default: [] as string[],
              describe: 'stage.key=value[,value…] (repeatable; the grid of all combinations)',
            })
            .option('set', { ...setOption, describe: 'override a param in every entry: stage.key=value (repeatable)' })
            .option('queue', { type: 'boolean', default: false, describe: 'only add the combinations to the queue' })
            .option('run-all', { type: 'boolean', default: false, describe: 'run the queued entries (and an interrupted one) without adding any' }),
        async (a) => {
          const { enqueue, expandGrid, formatQueue, parseSweep, runQueue } = await import('../queue.ts');
          const root = findRoot();
          if (a['run-all'] && a.S.length) throw new Error('--run-all runs what is queued; add entries with -S … --queue first');
          if (!a['run-all']) {
            if (!a.S.length) throw new Error('nothing to sweep: give -S stage.key=value[,value…] (or --run-all to run the queue)');
            const fixed = overridesOf(a.set);
            const added = await enqueue(
              root,
              expandGrid(a.S.map(parseSweep)).map((entry) => ({ ...fixed, ...entry })),
            );
            console.log(formatQueue(added));
            if (a.queue) return;
          }
          const failed = await runQueue(root);
          if (failed) process.exitCode = 1;
        },
      )
      .command(
        'queue',
        'the experiment queue: queued, running (or interrupted), done and failed entries',
        (z) => z.option('remove', { type: 'string', array: true, default: [] as string[], describe: 'remove these entries (ids as listed, e.g. q0002)' }),
        async (a) => {
          const { formatQueue, readQueue, removeFromQueue } = await import('../queue.ts');
          const root = findRoot();
          if (a.remove.length) console.error(`removed ${(await removeFromQueue(root, a.remove)).map((e) => e.id).join(', ')}`);
          console.log(formatQueue(readQueue(root)));
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
