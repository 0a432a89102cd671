/** `ser key <task>`: a task's cache key, printed for Nx (the runtime input of the task's target). */
import type { Argv } from 'yargs';
import { findRoot, findTask, loadPipeline, openRegistry, overridesFromEnv, planPipeline, stageFingerprint, stageKey, withWorkspaceLock } from '@ser/core';

export const key = (cli: Argv) =>
  cli.command(
    'key <task>',
    "print a task's cache key: its params, code, packages, inputs, fold and output health (an Nx runtime input)",
    (y) => y.positional('task', { type: 'string', demandOption: true, describe: 'a stage, or <stage>.fold<k> (see `ser plan`)' }),
    async (a) => {
      const root = findRoot();
      // Under the lock, so the upstream manifests it reads are not being replaced by another run.
      const printed = await withWorkspaceLock(
        root,
        `ser key ${a.task}`,
        async () => {
          const registry = openRegistry(root);
          const pipeline = await loadPipeline(root, registry, overridesFromEnv());
          const task = findTask(await planPipeline(root, pipeline, registry), a.task);
          const fingerprint = await stageFingerprint(root, pipeline, task, registry.entries[task.stage], await registry.load(task.stage));
          return stageKey(root, task.id, fingerprint);
        },
        { busy: false },
      );
      console.log(printed);
    },
  );
