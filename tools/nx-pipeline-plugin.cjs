/**
 * Nx plugin: infers the `pipeline` project's targets from pipeline.yaml, one per stage plus `all`.
 * A stage target's cache key (Nx inputs) is
 *   - its code: the source of its package and of the workspace packages that package uses;
 *   - the installed dependency versions (package-lock.json);
 *   - its upstream outputs: `outputs.sha256` of each dependency stage (dependentTasksOutputFiles,
 *     which also makes Nx hash the stage only after its dependencies ran);
 *   - a runtime key (packages/core/src/stage-key.ts): its params slice with overrides, upstream
 *     output hashes, the dataset fingerprint, and whether its own outputs are intact.
 * Validation of pipeline.yaml happens in that runtime key, so an invalid file stops Nx before any stage runs.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parse } = require('yaml');

const CLI = 'node packages/cli/bin/ser.js';
const stagePackages = require('../packages/core/src/stage-packages.json');

function packageClosure(root, name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  const dir = join(root, 'packages', name.replace(/^@ser\//, ''));
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies || {})) if (dep.startsWith('@ser/')) packageClosure(root, dep, seen);
  return seen;
}

function stageTarget(root, stage, deps) {
  const code = [...packageClosure(root, stagePackages[stage].package)].sort().flatMap((name) => {
    const dir = `{workspaceRoot}/packages/${name.replace(/^@ser\//, '')}`;
    return [{ fileset: `${dir}/src/**/*` }, { fileset: `${dir}/package.json` }];
  });
  return {
    command: `${CLI} stage ${stage}`,
    options: { cwd: '{workspaceRoot}' },
    cache: true,
    dependsOn: deps.map((dep) => ({ target: dep, projects: 'self' })),
    inputs: [
      ...code,
      { fileset: '{workspaceRoot}/package-lock.json' },
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
        const doc = parse(readFileSync(join(root, file), 'utf8')) || {};
        const declared = Object.entries((doc && doc.stages) || {}).filter(([name]) => name in stagePackages);
        const targets = {};
        for (const [name, decl] of declared) targets[name] = stageTarget(root, name, (decl && decl.deps) || []);
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
