/** `ser plan`: the pipeline's tasks (each stage, or each fold of a per-fold stage) in run order: what the Nx plugin makes targets of. */
import type { Argv } from 'yargs';
import { findRoot, loadPipeline, openRegistry, overridesFromEnv, planPipeline } from '@ser/core';
import { overridesOf, setOption } from '../options.ts';

export const plan = (cli: Argv) =>
  cli.command(
    'plan',
    "the pipeline's tasks in run order, with their upstream tasks and folds",
    (y) => y.option('set', setOption).option('json', { type: 'boolean', default: false }),
    async (a) => {
      const root = findRoot();
      const registry = openRegistry(root);
      const pipeline = await loadPipeline(root, registry, { ...overridesFromEnv(), ...overridesOf(a.set) });
      const { folds, tasks } = await planPipeline(root, pipeline, registry);
      if (a.json) console.log(JSON.stringify({ folds, instances: tasks }, null, 2));
      else for (const t of tasks) console.log(`${t.id.padEnd(14)} ← ${t.deps.join(', ') || '(dataset)'}`);
    },
  );
