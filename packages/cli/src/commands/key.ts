/** `ser key <name>`: a stage's cache key, printed for Nx (the runtime input of the stage's target). */
import type { Argv } from 'yargs';
import { findRoot, loadPipeline, openRegistry, overridesFromEnv, stageFingerprint, stageKey, withWorkspaceLock } from '@ser/core';

export const key = (cli: Argv) =>
  cli.command(
    'key <name>',
    "print a stage's cache key: its params, code, packages, inputs and output health (an Nx runtime input)",
    (y) => y.positional('name', { type: 'string', demandOption: true }),
    async (a) => {
      const root = findRoot();
      // Under the lock, so the upstream manifests it reads are not being replaced by another run.
      const printed = await withWorkspaceLock(
        root,
        `ser key ${a.name}`,
        async () => {
          const registry = openRegistry(root);
          const pipeline = await loadPipeline(root, registry, overridesFromEnv());
          if (!pipeline.stages[a.name]) throw new Error(`stage '${a.name}' is not in pipeline.yaml (stages: ${Object.keys(pipeline.stages).join(', ')})`);
          const fingerprint = await stageFingerprint(root, pipeline, registry.entries[a.name], await registry.load(a.name));
          return stageKey(root, a.name, fingerprint);
        },
        { busy: false },
      );
      console.log(printed);
    },
  );
