/**
 * Nx plugin: infers the `pipeline` project's targets from pipeline.yaml, one per stage plus `all`.
 * A stage target's cache key (Nx inputs) is
 *   - its upstream outputs: `outputs.sha256` of each dependency stage (dependentTasksOutputFiles,
 *     which also makes Nx hash the stage only after its dependencies ran);
 *   - a runtime key, `ser key <stage>` (packages/core/src/fingerprint.ts): its params with overrides,
 *     the code its stage module runs (minified bundle hash) and the packages that code imports, its
 *     upstream output hashes, the dataset fingerprint, and whether its own outputs are intact. The
 *     manifest's "why it ran" is computed from the same fingerprint.
 * Validation of pipeline.yaml happens in that runtime key, so an invalid file stops Nx before any stage runs.
 * With a remote cache, its task-execution hooks put a verifying proxy between Nx and the server
 * (remote-cache-hooks.cjs).
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parse } = require('yaml');
const { preTasksExecution, postTasksExecution } = require('./remote-cache-hooks.cjs');

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
  preTasksExecution,
  postTasksExecution,
  createNodesV2: [
    'pipeline.yaml',
    async (files, _options, context) =>
      files.map((file) => {
        const root = context.workspaceRoot;
        const doc = parse(readFileSync(join(root, file), 'utf8')) || {};
        const declared = Object.entries((doc && doc.stages) || {});
        const targets = {};
        for (const [name, decl] of declared) targets[name] = stageTarget(name, (decl && decl.deps) || []);
        targets.all = {
          command: `${CLI} record`,
          options: { cwd: '{workspaceRoot}' },
          cache: false,
          dependsOn: declared.map(([name]) => ({ target: name, projects: 'self' })),
          metadata: { description: 'run every stage, then record the run in data/runs' },
        };
        return [file, { projects: { '.': { name: 'pipeline', root: '.', targets } } }];
      }),
  ],
};
