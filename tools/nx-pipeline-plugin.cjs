/**
 * Nx plugin: infers the `pipeline` project's targets from the pipeline's tasks (`ser plan --json`:
 * each stage of pipeline.yaml, or each fold of a stage that runs per fold), plus `all`.
 * A stage target's cache key (Nx inputs) is
 *   - its upstream outputs: `outputs.sha256` of each dependency stage (dependentTasksOutputFiles,
 *     which also makes Nx hash the stage only after its dependencies ran);
 *   - a runtime key, `ser key <stage>` (packages/core/src/fingerprint.ts): its params with overrides,
 *     the code its stage module runs (minified bundle hash) and the packages that code imports, its
 *     upstream output hashes, the dataset fingerprint, and whether its own outputs are intact. The
 *     manifest's "why it ran" is computed from the same fingerprint.
 * Validation of pipeline.yaml happens in that runtime key, so an invalid file stops Nx before any stage runs.
 */
const { execFileSync } = require('node:child_process');

const CLI = 'node packages/cli/bin/ser.js';

function stageTarget(stage, deps) {
  return {
    command: `${CLI} stage ${stage}`,
    options: { cwd: '{workspaceRoot}' },
    cache: true,
    dependsOn: deps.map((dep) => ({ target: dep, projects: 'self' })),
    inputs: [
      ...(deps.length ? [{ dependentTasksOutputFiles: '**/outputs.sha256', transitive: false }] : []),
      { runtime: `${CLI} key ${stage}` },
    ],
    outputs: [`{workspaceRoot}/data/${stage}`],
    metadata: { description: `pipeline stage '${stage}' (deps: ${deps.join(', ') || 'none'})` },
  };
}

module.exports = {
  name: 'ser-pipeline',
  createNodesV2: [
    'pipeline.yaml',
    async (files, _options, context) =>
      files.map((file) => {
        const root = context.workspaceRoot;
        let plan;
        try {
          plan = JSON.parse(execFileSync(process.execPath, ['packages/cli/bin/ser.js', 'plan', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
        } catch (e) {
          throw new Error(`ser plan failed: ${(e.stderr || e.message).trim()}`);
        }
        const targets = {};
        for (const task of plan.instances) targets[task.id] = stageTarget(task.id, task.deps);
        targets.all = {
          command: `${CLI} record`,
          options: { cwd: '{workspaceRoot}' },
          cache: false,
          dependsOn: plan.instances.map((task) => ({ target: task.id, projects: 'self' })),
          metadata: { description: 'run every stage, then record the run in data/runs' },
        };
        return [file, { projects: { '.': { name: 'pipeline', root: '.', targets } } }];
      }),
  ],
};
