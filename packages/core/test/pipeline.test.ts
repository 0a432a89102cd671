import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineError, loadPipeline, parseOverride } from '../src/pipeline.ts';

const original = readFileSync(new URL('../../../pipeline.yaml', import.meta.url), 'utf8');

function withYaml(text: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'ser-pipeline-')), 'pipeline.yaml');
  writeFileSync(file, text);
  return file;
}

function problemsOf(file: string, overrides: Record<string, unknown> = {}): string[] {
  try {
    loadPipeline(file, overrides);
  } catch (e) {
    expect(e).toBeInstanceOf(PipelineError);
    return (e as PipelineError).problems;
  }
  throw new Error('expected the pipeline to be rejected');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('pipeline.yaml validation', () => {
  it('accepts the shipped pipeline and fills defaults', () => {
    const p = loadPipeline(withYaml(original));
    expect(p.stages.mel.params.nMels).toBe(128);
    expect(p.stages.mel.params.padValue).toBeNull();
    expect(p.stages.train.deps).toEqual(['mel', 'augment', 'split']);
  });

  it('names an unknown key and its line', () => {
    const text = original.replace('      nMels: 128', '      nMels: 128\n      nMelz: 64');
    expect(problemsOf(withYaml(text))).toEqual([`unknown key 'stages.mel.params.nMelz' (line ${lineOf(text, 'nMelz')})`]);
  });

  it('names a wrong type and a bad value with their lines', () => {
    const text = original.replace('learningRate: 0.001', 'learningRate: fast').replace('topDb: 25', 'topDb: -3');
    const problems = problemsOf(withYaml(text));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(new RegExp(`^'stages.trim.params.topDb': .*\\(line ${lineOf(text, 'topDb: -3')}\\)$`));
    expect(problems[1]).toMatch(new RegExp(`^'stages.train.params.learningRate': .*expected number.*\\(line ${lineOf(text, 'learningRate: fast')}\\)$`));
  });

  it('rejects an unknown upstream stage and an upstream that runs later', () => {
    const text = original.replace('deps: [mel, augment, split]', 'deps: [mel, agment, split]').replace('deps: [trim]', 'deps: [trim, eval]');
    const problems = problemsOf(withYaml(text));
    expect(problems).toContain(`'stages.train.deps': unknown upstream stage 'agment' (line ${lineOf(text, 'agment')})`);
    expect(problems).toContain(`'stages.mel.deps': 'eval' does not run before 'mel' (line ${lineOf(text, 'deps: [trim, eval]')})`);
  });

  it('rejects an unknown stage and YAML syntax errors', () => {
    expect(problemsOf(withYaml(original + '  polish:\n    deps: []\n'))[0]).toMatch(/^unknown stage 'stages.polish'/);
    expect(problemsOf(withYaml('stages: [unclosed'))[0]).toMatch(/flow sequence|Missing|Unexpected|closing/i);
  });

  it('validates overrides like the file and says they came from --set', () => {
    const file = withYaml(original);
    expect(loadPipeline(file, { 'train.learningRate': 0.01 }).stages.train.params.learningRate).toBe(0.01);
    expect(problemsOf(file, { 'train.learningRate': 'x' })).toEqual([`'stages.train.params.learningRate': Invalid input: expected number, received string (from --set)`]);
    expect(problemsOf(file, { 'mel.bogus': 1 })[0]).toMatch(/unknown key 'stages.mel.params.bogus'/);
  });

  it('parses overrides as YAML values and rejects bad keys', () => {
    expect(parseOverride('train.learningRate=3e-4')).toEqual(['train.learningRate', 3e-4]);
    expect(parseOverride('split.groupBy=actor')).toEqual(['split.groupBy', 'actor']);
    expect(parseOverride('augment.noise.snrDb=[5, 10]')).toEqual(['augment.noise.snrDb', [5, 10]]);
    expect(() => parseOverride('trian.epochs=3')).toThrow(/'trian' is not a stage/);
    expect(() => parseOverride('train.epochs')).toThrow(/stage.key=value/);
  });
});
