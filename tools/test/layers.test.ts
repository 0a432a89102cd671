import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerViolations, readWorkspace, scopedImports, type WorkspacePackage } from '../layers.ts';

const ROOT = resolve(import.meta.dirname, '../..');

it('the workspace packages import one way, without cycles, exactly the @ser packages they declare', () => {
  expect(layerViolations(readWorkspace(ROOT))).toEqual([]);
});

describe('scopedImports', () => {
  it('finds static, re-exported, type-only, side-effect and dynamic imports, not those in comments or strings', () => {
    const text = [
      "import type { A } from '@ser/a';",
      "import '@ser/b/side-effects';",
      "export * from '@ser/c';",
      "// import { x } from '@ser/commented';",
      "const code = `import y from '@ser/in-a-string'`;",
      "const later = await import('@ser/d/sub');",
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    expect(scopedImports(text)).toEqual([
      { line: 1, package: '@ser/a' },
      { line: 2, package: '@ser/b' },
      { line: 3, package: '@ser/c' },
      { line: 6, package: '@ser/d' },
    ]);
  });
});

describe('layerViolations of a made-up workspace', () => {
  /** A package that declares and imports `uses` (unless told otherwise). */
  const pkg = (name: string, uses: string[] = [], { stages = false, declared = uses, imports = uses } = {}): WorkspacePackage => ({
    name: `@ser/${name}`,
    providesStages: stages,
    declared: declared.map((d) => `@ser/${d}`),
    imports: imports.map((i) => ({ file: `packages/${name}/src/index.ts`, line: 1, package: `@ser/${i}` })),
  });
  const stage = (name: string, uses: string[] = []) => pkg(name, uses, { stages: true });
  const layered = [
    pkg('build'),
    pkg('core', ['build']),
    pkg('dsp'),
    stage('features', ['core', 'dsp']),
    stage('model', ['core', 'features']),
    pkg('cli', ['core', 'model']),
  ];

  it('passes a layered workspace', () => {
    expect(layerViolations(layered)).toEqual([]);
  });

  it('catches an upward import: core importing a stage package', () => {
    expect(layerViolations([...layered.filter((p) => p.name !== '@ser/core'), pkg('core', ['build', 'features'])])).toEqual([
      'packages/core/src/index.ts:1: @ser/core imports @ser/features (layer stage), but layer core may import only build',
      'cycle: @ser/core → @ser/features → @ser/core',
    ]);
  });

  it('catches dsp importing any @ser package, and anything importing cli', () => {
    const workspace = layered.map((p) =>
      p.name === '@ser/dsp' ? pkg('dsp', ['build']) : p.name === '@ser/features' ? stage('features', ['core', 'dsp', 'cli']) : p,
    );
    expect(layerViolations(workspace)).toEqual([
      'packages/dsp/src/index.ts:1: @ser/dsp imports @ser/build (layer build), but layer dsp may import no @ser package',
      'packages/features/src/index.ts:1: @ser/features imports @ser/cli (layer cli), but layer stage may import only build, core, dsp, stage',
      'cycle: @ser/cli → @ser/model → @ser/features → @ser/cli',
    ]);
  });

  it('lets stage packages import one another, but not in a cycle', () => {
    expect(layerViolations([...layered, stage('augment', ['features', 'eval']), stage('eval', ['augment'])])).toEqual([
      'cycle: @ser/augment → @ser/eval → @ser/augment',
    ]);
  });

  it('catches an import package.json does not declare, a declared dependency never imported, and an unknown package', () => {
    const workspace = [...layered, pkg('split', [], { stages: true, declared: ['core', 'model'], imports: ['core', 'dsp', 'nowhere'] })];
    expect(layerViolations(workspace)).toEqual([
      'packages/split/src/index.ts:1: @ser/split imports @ser/dsp, which its package.json does not list in dependencies',
      'packages/split/src/index.ts:1: @ser/split imports @ser/nowhere, which is not a workspace package',
      'packages/split/src/index.ts:1: @ser/split imports @ser/nowhere, which its package.json does not list in dependencies',
      '@ser/split: package.json lists @ser/model, which its src/ and bin/ never import',
    ]);
  });

  it('names a package that belongs to no layer', () => {
    expect(layerViolations([...layered, pkg('helpers', ['core'])])).toEqual([
      '@ser/helpers: in no layer (name it in tools/layers.ts, or give it "ser.stages")',
    ]);
  });
});
