/**
 * Nx plugin: infers the `pipeline` project's targets from the CLI's plan of pipeline.yaml (`ser plan --json`):
 * one target per stage instance — a stage that runs once per cross-validation fold has one per fold,
 * `train.fold1`, `train.fold2`… — plus `all`. The plan, not this file, knows stages, folds and their order.
 * An instance target's cache key (Nx inputs) is
 *   - its upstream outputs: `outputs.sha256` of each instance it depends on (dependentTasksOutputFiles,
 *     which also makes Nx hash it only after those ran);
 *   - a runtime key, `ser key <id>` (packages/core/src/fingerprint.ts): its params with overrides, the code
 *     its stage module runs (minified bundle hash) and the packages that code imports, its upstream output
 *     hashes, the dataset fingerprint, and whether its own outputs are intact. The manifest's "why it ran"
 *     is computed from the same fingerprint.
 * pipeline.yaml is validated by `ser plan`, so an invalid file stops Nx before any stage runs.
 * With a remote cache, its task-execution hooks put a verifying proxy between Nx and the server
 * (remote-cache-hooks.cjs).
 *
 * Nx require()s this file through ts-node (a devDependency), as CommonJS: tsconfig.json's "ts-node" block says why.
 */
import { spawnSync } from 'node:child_process';
import type { CreateNodesV2, TargetConfiguration } from 'nx/src/devkit-exports';

const CLI_SCRIPT = 'packages/cli/bin/ser.js';
const CLI = `node ${CLI_SCRIPT}`;

/** One run of one stage, as `ser plan --json` lists it (in run order). */
export interface PlannedInstance {
  /** Target name and data folder: the stage name, or `<stage>.fold<k>` for a per-fold instance. */
  id: string;
  stage: string;
  /** Instances whose outputs it reads. */
  deps: string[];
  fold: { index: number; count: number } | null;
}

export interface Plan {
  instances: PlannedInstance[];
}

function describe({ stage, deps, fold }: PlannedInstance): string {
  const which = fold ? `, fold ${fold.index} of ${fold.count}` : '';
  return `pipeline stage '${stage}'${which} (deps: ${deps.join(', ') || 'none'})`;
}

function instanceTarget(instance: PlannedInstance): TargetConfiguration {
  const { id, deps } = instance;
  return {
    command: `${CLI} stage ${id}`,
    options: { cwd: '{workspaceRoot}' },
    cache: true,
    dependsOn: deps.map((dep) => ({ target: dep, projects: 'self' })),
    inputs: [...(deps.length ? [{ dependentTasksOutputFiles: '**/outputs.sha256', transitive: false }] : []), { runtime: `${CLI} key ${id}` }],
    outputs: [`{workspaceRoot}/data/${id}`],
    metadata: { description: describe(instance) },
  };
}

/** The `pipeline` project's targets for a plan: one per instance, and `all`. */
export function pipelineTargets(plan: Plan): Record<string, TargetConfiguration> {
  if (!Array.isArray(plan?.instances)) throw new Error(`ser plan --json: expected { "instances": [...] }, got ${JSON.stringify(plan)}`);
  const ids = new Set(plan.instances.map((i) => i.id));
  const targets: Record<string, TargetConfiguration> = {};
  for (const instance of plan.instances) {
    const unknown = instance.deps.filter((dep) => !ids.has(dep));
    if (unknown.length)
      throw new Error(`ser plan --json: '${instance.id}' depends on ${unknown.map((d) => `'${d}'`).join(', ')}, which the plan does not list`);
    targets[instance.id] = instanceTarget(instance);
  }
  targets.all = {
    command: `${CLI} record`,
    options: { cwd: '{workspaceRoot}' },
    cache: false,
    dependsOn: plan.instances.map(({ id }) => ({ target: id, projects: 'self' })),
    metadata: { description: 'run every stage, then record the run in data/runs' },
  };
  return targets;
}

/** `ser plan --json` in the workspace, with Nx's environment (which carries SER_OVERRIDES). */
export function readPlan(workspaceRoot: string): Plan {
  const result = spawnSync(process.execPath, [CLI_SCRIPT, 'plan', '--json'], { cwd: workspaceRoot, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${CLI} plan --json failed (exit ${result.status ?? result.signal}):\n${result.stderr.trim()}`);
  if (result.stderr) process.stderr.write(result.stderr);
  return JSON.parse(result.stdout) as Plan;
}

export const name = 'ser-pipeline';

// Plain CommonJS: it imports the proxy's ES module bundle at run time, which compiled TypeScript could not.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hooks = require('./remote-cache-hooks.cjs') as { preTasksExecution: (...args: unknown[]) => Promise<void>; postTasksExecution: () => Promise<void> };
export const { preTasksExecution, postTasksExecution } = hooks;

export const createNodesV2: CreateNodesV2 = [
  'pipeline.yaml',
  async (files, _options, context) =>
    files.map((file) => [file, { projects: { '.': { name: 'pipeline', root: '.', targets: pipelineTargets(readPlan(context.workspaceRoot)) } } }]),
];
