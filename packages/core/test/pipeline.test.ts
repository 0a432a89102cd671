/** pipeline.yaml validation and the stage registry, on a small synthetic pipeline (load → clean → fit). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PipelineError, loadPipeline, parseOverride } from '../src/pipeline.ts';
import { discoverStages, openRegistry, type StageRegistry } from '../src/registry.ts';
import { defineStage } from '../src/stage.ts';

const schemas = {
  load: z.object({}).strict(),
  clean: z.object({ threshold: z.number().positive().default(25), mode: z.enum(['a', 'b']).default('a') }).strict(),
  fit: z.object({ rate: z.number().positive().default(1e-3), epochs: z.number().int().positive().default(30) }).strict(),
};
const YAML = `dataset:
  path: data/raw/x
stages:
  fit:
    deps: [clean]
    params:
      rate: 0.001
  load:
    deps: []
  clean:
    deps: [load]
    params:
      threshold: 25
`;

/** A workspace with packages that provide the synthetic stages, and a registry that imports them in-process. */
function workspace(yaml = YAML): { root: string; registry: StageRegistry } {
  const root = mkdtempSync(join(tmpdir(), 'ser-pipeline-'));
  writeFileSync(join(root, 'pipeline.yaml'), yaml);
  for (const [pkg, stages] of [
    ['first', ['load', 'clean']],
    ['second', ['fit']],
  ] as const) {
    mkdirSync(join(root, 'packages', pkg, 'src'), { recursive: true });
    writeFileSync(
      join(root, 'packages', pkg, 'package.json'),
      JSON.stringify({ name: `@x/${pkg}`, ser: { stages: Object.fromEntries(stages.map((s) => [s, `./src/${s}.ts`])) } }),
    );
  }
  const definitions = Object.fromEntries(
    Object.entries(schemas).map(([name, params]) => [name, defineStage<unknown>({ name, params: params as z.ZodType, outputs: {}, run: async () => {} })]),
  );
  return { root, registry: openRegistry(root, async (entry) => ({ stage: definitions[entry.name] })) };
}

async function problemsOf(yaml: string, overrides: Record<string, unknown> = {}): Promise<string[]> {
  const { root, registry } = workspace(yaml);
  try {
    await loadPipeline(root, registry, overrides);
  } catch (e) {
    expect(e).toBeInstanceOf(PipelineError);
    return (e as PipelineError).problems;
  }
  throw new Error('expected the pipeline to be rejected');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('pipeline.yaml validation', () => {
  it('validates each stage against its package schema, fills defaults, and orders stages by their deps', async () => {
    const { root, registry } = workspace();
    const p = await loadPipeline(root, registry);
    expect(Object.keys(p.stages)).toEqual(['load', 'clean', 'fit']);
    expect(p.stages.clean.params).toEqual({ threshold: 25, mode: 'a' });
    expect(p.stages.fit.params.epochs).toBe(30);
    expect(p.dataset).toEqual({ path: 'data/raw/x', format: 'ravdess', actors: [] });
  });

  it('names an unknown key, a wrong type and a bad value with their lines', async () => {
    const text = YAML.replace('      threshold: 25', '      threshold: -3\n      treshold: 2').replace('rate: 0.001', 'rate: fast');
    const problems = await problemsOf(text);
    expect(problems).toHaveLength(3);
    expect(problems).toContain(`unknown key 'stages.clean.params.treshold' (line ${lineOf(text, 'treshold')})`);
    expect(problems.find((p) => p.includes('threshold'))).toMatch(
      new RegExp(`^'stages.clean.params.threshold': .*\\(line ${lineOf(text, 'threshold: -3')}\\)$`),
    );
    expect(problems.find((p) => p.includes('rate'))).toMatch(
      new RegExp(`^'stages.fit.params.rate': .*expected number.*\\(line ${lineOf(text, 'rate: fast')}\\)$`),
    );
  });

  it('rejects an unknown upstream stage and a cycle', async () => {
    const text = YAML.replace('deps: [clean]', 'deps: [claen]');
    expect(await problemsOf(text)).toEqual([`'stages.fit.deps': unknown upstream stage 'claen' (line ${lineOf(text, 'claen')})`]);
    const cyclic = YAML.replace('deps: []', 'deps: [fit]');
    expect(await problemsOf(cyclic)).toEqual([
      `'stages': the deps of 'fit', 'load', 'clean' never let them run (a cycle) (line ${lineOf(cyclic, 'deps: [clean]')})`,
    ]);
  });

  it('rejects a stage no package provides, naming the registered ones, and YAML syntax errors', async () => {
    expect((await problemsOf(YAML + '  polish:\n    deps: []\n'))[0]).toBe(
      `unknown stage 'stages.polish' (line ${lineOf(YAML + '  polish:', 'polish')}): no workspace package provides it (registered stages: load, clean, fit)`,
    );
    expect((await problemsOf('stages: [unclosed'))[0]).toMatch(/flow sequence|Missing|Unexpected|closing/i);
  });

  it('validates overrides like the file and says they came from --set', async () => {
    const { root, registry } = workspace();
    expect((await loadPipeline(root, registry, { 'fit.rate': 0.01 })).stages.fit.params.rate).toBe(0.01);
    expect(await problemsOf(YAML, { 'fit.rate': 'x' })).toEqual([`'stages.fit.params.rate': Invalid input: expected number, received string (from --set)`]);
    expect((await problemsOf(YAML, { 'clean.bogus': 1 }))[0]).toMatch(/unknown key 'stages.clean.params.bogus'/);
    expect((await problemsOf(YAML, { 'fti.rate': 1 }))[0]).toBe("override 'fti.rate': 'fti' is not a stage of pipeline.yaml (fit, load, clean) or 'dataset'");
  });

  it('parses overrides as YAML values and rejects malformed ones', () => {
    expect(parseOverride('fit.rate=3e-4')).toEqual(['fit.rate', 3e-4]);
    expect(parseOverride('clean.mode=b')).toEqual(['clean.mode', 'b']);
    expect(parseOverride('augment.noise.snrDb=[5, 10]')).toEqual(['augment.noise.snrDb', [5, 10]]);
    expect(() => parseOverride('fit.rate')).toThrow(/stage.key=value/);
    expect(() => parseOverride('fit=3')).toThrow(/must name a key inside 'fit'/);
  });
});

describe('stage registry', () => {
  it("finds each package's stages in its package.json", () => {
    const { root } = workspace();
    const entries = discoverStages(root);
    expect(Object.keys(entries).sort()).toEqual(['clean', 'fit', 'load']);
    expect(entries.fit).toEqual({ name: 'fit', package: '@x/second', module: join(root, 'packages/second/src/fit.ts') });
  });

  it('refuses a stage provided twice, and a module that exports another stage', async () => {
    const { root } = workspace();
    writeFileSync(join(root, 'packages/second/package.json'), JSON.stringify({ name: '@x/second', ser: { stages: { fit: './a.ts', clean: './b.ts' } } }));
    expect(() => discoverStages(root)).toThrow("stage 'clean' is provided by both @x/first and @x/second");
    const wrong = openRegistry(workspace().root, async () => ({
      stage: defineStage({ name: 'other', params: z.object({}), outputs: {}, run: async () => {} }),
    }));
    await expect(wrong.load('fit')).rejects.toThrow(/must export `stage` named 'fit' \(found 'other'\)/);
    await expect(wrong.load('nope')).rejects.toThrow("no package provides stage 'nope' (registered: load, clean, fit)");
  });
});
