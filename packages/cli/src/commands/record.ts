/** `ser record`: the last step of `nx run pipeline:all`, recording the run in data/runs. */
import type { Argv } from 'yargs';
import { findRoot, loadPipeline, openRegistry, overridesFromEnv, planPipeline, withWorkspaceLock } from '@ser/core';

export const record = (cli: Argv) =>
  cli.command(
    'record',
    'record the current outputs as a run in data/runs (the last step of `nx run pipeline:all`)',
    (y) => y,
    async () => {
      const root = findRoot();
      const overrides = overridesFromEnv();
      const { recordRun } = await import('../runs.ts');
      await withWorkspaceLock(root, 'ser record', async () => {
        const registry = openRegistry(root);
        const pipeline = await loadPipeline(root, registry, overrides);
        await recordRun(root, pipeline, await planPipeline(root, pipeline, registry), registry, overrides);
      });
    },
  );
