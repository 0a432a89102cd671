/**
 * The shipped pipeline.yaml against the real stage packages: every stage is provided, defaults fill
 * in, errors name the key and line. The registry imports each stage as the CLI does (esbuild bundles).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineError, loadPipeline, openRegistry } from '@ser/core';
import { DEFAULT_PRESET } from '@ser/model/params';
import { REPO, withTrainKeys } from './workspace.ts';

const original = readFileSync(join(REPO, 'pipeline.yaml'), 'utf8');
const registry = openRegistry(REPO);

/** A workspace whose pipeline.yaml is `text` and whose packages are this repository's. */
function withYaml(text: string): string {
  const root = mkdtempSync(join(tmpdir(), 'ser-pipeline-file-'));
  writeFileSync(join(root, 'pipeline.yaml'), text);
  return root;
}

async function problemsOf(text: string): Promise<string[]> {
  try {
    await loadPipeline(withYaml(text), registry);
  } catch (e) {
    expect(e).toBeInstanceOf(PipelineError);
    return (e as PipelineError).problems;
  }
  throw new Error('expected the pipeline to be rejected');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('the shipped pipeline.yaml', () => {
  it('names only stages the workspace packages provide, and validates with their defaults', async () => {
    expect(Object.keys(registry.entries).sort()).toEqual(['augment', 'eval', 'ingest', 'mel', 'split', 'train', 'trim']);
    const p = await loadPipeline(REPO, registry);
    expect(Object.keys(p.stages)).toEqual(['ingest', 'trim', 'mel', 'augment', 'split', 'train', 'eval']);
    expect(p.stages.mel.params.nMels).toBe(128);
    expect(p.stages.mel.params.padValue).toBeNull();
    expect(p.stages.train.deps).toEqual(['mel', 'augment', 'split']);
    expect(p.stages.split.deps).toEqual(['ingest']);
  });

  it('pipeline.yaml names the default preset and restates none of its keys, so a preset change takes effect', () => {
    const train = original.slice(original.indexOf('\n  train:'), original.indexOf('\n  eval:'));
    const given = [...train.matchAll(/^ {6}(\w+):/gm)].map((m) => m[1]);
    expect(given).toEqual(['preset', 'backend']);
    expect(train).toContain(`preset: ${DEFAULT_PRESET}`);
  });

  it('names a wrong type and a bad value with their lines', async () => {
    const text = withTrainKeys(original, 'learningRate: fast').replace('topDb: 25', 'topDb: -3');
    const problems = await problemsOf(text);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(new RegExp(`^'stages.trim.params.topDb': .*\\(line ${lineOf(text, 'topDb: -3')}\\)$`));
    expect(problems[1]).toMatch(new RegExp(`^'stages.train.params.learningRate': .*expected number.*\\(line ${lineOf(text, 'learningRate: fast')}\\)$`));
  });
});
