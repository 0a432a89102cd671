/** `ser stage <task>`: run one task now, outside Nx (what each Nx target runs); the name of a per-fold stage that is no task runs its folds. */
import type { Argv } from 'yargs';
import { findRoot, loadPipeline, openRegistry, overridesFromEnv, planPipeline, withWorkspaceLock } from '@ser/core';
import { overridesOf, setOption, waitOption } from '../options.ts';

export const stage = (cli: Argv) =>
  cli.command(
    'stage <task>',
    'run one task now, without Nx (what each Nx target runs): a stage, <stage>.fold<k>, or a per-fold stage that does not combine (all its folds)',
    (y) =>
      y
        .positional('task', { type: 'string', demandOption: true })
        .option('set', setOption)
        .option('wait', waitOption)
        .option('force', { type: 'boolean', default: false, describe: 'run it even when it is up to date' }),
    async (a) => {
      const { runStage } = await import('@ser/core/run-stage');
      const root = findRoot();
      const overrides = { ...overridesFromEnv(), ...overridesOf(a.set) };
      await withWorkspaceLock(
        root,
        `ser stage ${a.task}`,
        async () => {
          const registry = openRegistry(root);
          const { tasks } = await planPipeline(root, await loadPipeline(root, registry, overrides), registry);
          // A task id runs that task; the name of a per-fold stage that is no task (it does not combine) runs its folds.
          const ids = tasks.some((t) => t.id === a.task) ? [a.task] : tasks.filter((t) => t.stage === a.task).map((t) => t.id);
          for (const id of ids.length ? ids : [a.task]) await runStage(root, id, { overrides, registry, force: a.force });
        },
        { wait: a.wait },
      );
    },
  );
