import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodesV2, pipelineTargets, readPlan, type Plan } from '../nx-pipeline-plugin.ts';

/** A plan with a per-fold stage, as `ser plan --json` prints it. */
const plan: Plan = {
  instances: [
    { id: 'ingest', stage: 'ingest', deps: [], fold: null },
    { id: 'mel', stage: 'mel', deps: ['ingest'], fold: null },
    { id: 'train.fold1', stage: 'train', deps: ['mel'], fold: { index: 1, count: 2 } },
    { id: 'train.fold2', stage: 'train', deps: ['mel'], fold: { index: 2, count: 2 } },
  ],
};

describe('pipelineTargets', () => {
  const targets = pipelineTargets(plan);

  it('makes one target per instance, in plan order, and all', () => {
    expect(Object.keys(targets)).toEqual(['ingest', 'mel', 'train.fold1', 'train.fold2', 'all']);
  });

  it('a stage without deps: runs `ser stage`, keyed on `ser key` alone', () => {
    expect(targets.ingest).toEqual({
      command: 'node packages/cli/bin/ser.js stage ingest',
      options: { cwd: '{workspaceRoot}' },
      cache: true,
      dependsOn: [],
      inputs: [{ runtime: 'node packages/cli/bin/ser.js key ingest' }],
      outputs: ['{workspaceRoot}/data/ingest'],
      metadata: { description: "pipeline stage 'ingest' (deps: none)" },
    });
  });

  it('a per-fold instance: named by its id, after its deps, keyed on their outputs.sha256 too', () => {
    expect(targets['train.fold1']).toEqual({
      command: 'node packages/cli/bin/ser.js stage train.fold1',
      options: { cwd: '{workspaceRoot}' },
      cache: true,
      dependsOn: [{ target: 'mel', projects: 'self' }],
      inputs: [{ dependentTasksOutputFiles: '**/outputs.sha256', transitive: false }, { runtime: 'node packages/cli/bin/ser.js key train.fold1' }],
      outputs: ['{workspaceRoot}/data/train.fold1'],
      metadata: { description: "pipeline stage 'train', fold 1 of 2 (deps: mel)" },
    });
  });

  it('all: records the run after every instance, never from cache', () => {
    expect(targets.all).toEqual({
      command: 'node packages/cli/bin/ser.js record',
      options: { cwd: '{workspaceRoot}' },
      cache: false,
      dependsOn: ['ingest', 'mel', 'train.fold1', 'train.fold2'].map((target) => ({ target, projects: 'self' })),
      metadata: { description: 'run every stage, then record the run in data/runs' },
    });
  });

  it('refuses a plan that is not one, or that depends on an instance it does not list', () => {
    expect(() => pipelineTargets({} as Plan)).toThrow('ser plan --json: expected { "instances": [...] }, got {}');
    expect(() => pipelineTargets({ instances: [{ id: 'eval', stage: 'eval', deps: ['train.fold3'], fold: null }] })).toThrow(
      "ser plan --json: 'eval' depends on 'train.fold3', which the plan does not list",
    );
  });
});

describe('readPlan and createNodesV2, on a workspace whose ser.js is a stand-in', () => {
  const overrides = process.env.SER_OVERRIDES;
  const roots: string[] = [];
  afterEach(() => {
    if (overrides === undefined) delete process.env.SER_OVERRIDES;
    else process.env.SER_OVERRIDES = overrides;
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  /** A workspace root whose packages/cli/bin/ser.js runs `body`. */
  function workspace(body: string): string {
    const root = mkdtempSync(join(tmpdir(), 'ser-nx-plugin-'));
    roots.push(root);
    mkdirSync(join(root, 'packages/cli/bin'), { recursive: true });
    writeFileSync(join(root, 'packages/cli/bin/ser.js'), body);
    return root;
  }

  it('runs `ser plan --json` in the workspace root with the environment of Nx', () => {
    process.env.SER_OVERRIDES = '{"train.epochs":1}';
    const root = workspace(`
      const instances = [{ id: 'ingest', stage: 'ingest', deps: [], fold: null }];
      console.log(JSON.stringify({ instances, argv: process.argv.slice(2), cwd: process.cwd(), overrides: process.env.SER_OVERRIDES }));
    `);
    expect(readPlan(root)).toEqual({
      instances: [{ id: 'ingest', stage: 'ingest', deps: [], fold: null }],
      argv: ['plan', '--json'],
      cwd: root,
      overrides: '{"train.epochs":1}',
    });
  });

  it('throws with what `ser plan` printed on stderr when it fails', () => {
    const root = workspace(`console.error("pipeline.yaml:12: stages.train.params.epochs: expected a number"); process.exit(1);`);
    expect(() => readPlan(root)).toThrow(
      'node packages/cli/bin/ser.js plan --json failed (exit 1):\npipeline.yaml:12: stages.train.params.epochs: expected a number',
    );
  });

  it('gives the pipeline project, rooted at the workspace, the targets of the plan', async () => {
    const root = workspace(`console.log(${JSON.stringify(JSON.stringify(plan))});`);
    const [, createNodes] = createNodesV2;
    const results = await createNodes(['pipeline.yaml'], undefined, { workspaceRoot: root, nxJsonConfiguration: {} });
    expect(results).toEqual([['pipeline.yaml', { projects: { '.': { name: 'pipeline', root: '.', targets: pipelineTargets(plan) } } }]]);
  });
});
