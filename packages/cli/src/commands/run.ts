/** `ser run`: the pipeline through Nx, then the run recorded. */
import type { Argv } from 'yargs';
import { findRoot } from '@ser/core';
import { overridesOf, setOption, waitOption } from '../options.ts';
import { runPipeline } from '../run-pipeline.ts';

export const run = (cli: Argv) =>
  cli.command(
    'run',
    'run the pipeline through Nx (only stages whose code, params or inputs changed), then record the run',
    (y) =>
      y
        .option('set', setOption)
        .option('stage', { type: 'string', default: 'all', describe: 'run up to this stage' })
        .option('skip-nx-cache', { type: 'boolean', default: false, describe: 'ignore the Nx cache (rerun every stage)' })
        .option('wait', waitOption),
    async (a) => {
      const outcome = await runPipeline(findRoot(), { overrides: overridesOf(a.set), target: a.stage, skipCache: a['skip-nx-cache'], wait: a.wait });
      process.exitCode = outcome.code;
    },
  );
