/**
 * End to end on real audio (RAVDESS actors 01 and 02, one training epoch): the pipeline runs
 * through Nx, and its cache reruns exactly the stages whose code (what the stage module runs),
 * params or inputs changed. What ran is read from the executions log and the manifests, never
 * from timing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkOutputs } from '@ser/core';
import { CHANGED_RATE, DEFAULT_RATE, copyWorkspace, literal, quickPipeline, restoreActors, type Workspace } from './workspace.ts';

const ALL = ['ingest', 'trim', 'mel', 'augment', 'split', 'train', 'eval'];
let ws: Workspace;
let ravdess: string;

/** Run the pipeline; return the stages that executed (in pipeline order), failing loudly on a non-zero exit. */
function run(...set: string[]): { ran: string[]; output: string } {
  const before = ws.executions().length;
  const { code, output } = ws.ser(['run', ...set.flatMap((s) => ['--set', s])]);
  if (code !== 0) throw new Error(`ser run ${set.join(' ')} failed (${code}):\n${output.slice(-4000)}`);
  const ran = ws
    .executions()
    .slice(before)
    .map((e) => e.stage);
  expect(new Set(ran).size, `a stage ran twice: ${ran}`).toBe(ran.length);
  return { ran: ALL.filter((s) => ran.includes(s)), output };
}

const artifact = (stage: string, output: string) => join(ws.root, 'data', stage, ws.readJson(`data/${stage}/manifest.json`).outputs[output].file);

beforeAll(() => {
  ravdess = restoreActors(['01', '02']);
  ws = copyWorkspace((yaml) =>
    // One epoch on the recordings only: what is under test is which stages run, not the model.
    quickPipeline(yaml, ravdess),
  );
  expect(readFileSync(join(ws.root, 'pipeline.yaml'), 'utf8')).toMatch(/epochs: 1\n\s+useAugmented: false/);
  const first = run();
  expect(first.ran).toEqual(ALL);
}, 900_000);

describe('nx run pipeline:all, incrementally', () => {
  it('records the first run with every stage ran and why', () => {
    for (const stage of ALL) expect(ws.readJson(`data/${stage}/manifest.json`).reasons).toEqual(['no previous run']);
    const runs = readdirSync(join(ws.root, 'data/runs')).filter((f) => f.endsWith('.json'));
    expect(runs).toHaveLength(1);
    const record = ws.readJson(`data/runs/${runs[0]}`);
    expect(Object.values(record.stages).every((s: any) => s.ran)).toBe(true);
    expect(record.metrics).not.toBeNull();
  });

  it('ser eda draws angry vs sad from the mel stage', () => {
    const { code, output } = ws.ser(['eda', '--out', 'data/eda/a-vs-s.png']);
    expect(code, output).toBe(0);
    const png = readFileSync(join(ws.root, 'data/eda/a-vs-s.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(50_000);
  });

  it('ser predict labels real files and reports each bad one on its own line', () => {
    const good = ['Actor_01/03-01-05-01-01-01-01.wav', 'Actor_02/03-01-04-02-02-01-02.wav'].map((f) => join(ravdess, f));
    const dir = mkdtempSync(join(tmpdir(), 'ser-bad-'));
    const empty = join(dir, 'empty.wav');
    const text = join(dir, 'notes.wav');
    const truncated = join(dir, 'truncated.wav');
    writeFileSync(empty, '');
    writeFileSync(text, 'this is not audio\n');
    writeFileSync(truncated, readFileSync(good[0]).subarray(0, 3000));
    const files = [good[0], empty, text, truncated, dir, good[1]];
    const { code, output } = ws.ser(['predict', ...files, '--json']);
    expect(code).toBe(1);
    const result = JSON.parse(output.slice(output.indexOf('{')));
    expect(result.predictions.map((p: { file: string }) => p.file)).toEqual(files);
    for (const i of [0, 5]) {
      const p = result.predictions[i];
      expect(Object.keys(p.probabilities)).toEqual(['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised']);
      expect(Object.values(p.probabilities as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
      expect(p.label).toBe(Object.entries(p.probabilities as Record<string, number>).sort((a, b) => b[1] - a[1])[0][0]);
    }
    for (const i of [1, 2, 3, 4]) expect(result.predictions[i].error).toMatch(new RegExp(`^${files[i]}: `));
    expect(result.predictions[4].error).toMatch(/directory/);
    const plain = ws.ser(['predict', good[0], empty]);
    expect(plain.code).toBe(1);
    expect(plain.output).toMatch(new RegExp(`${good[0]}: \\w+ \\(\\d+\\.\\d%\\)`));
    expect(plain.output.split('\n').filter((l) => l.startsWith('error: '))).toHaveLength(1);
  });

  it('restores every stage from cache when nothing changed', () => {
    const { ran, output } = run();
    expect(ran).toEqual([]);
    expect(output).toMatch(/nothing changed since run/);
  });

  it('ser stage leaves a task that is up to date as it is, unless --force', () => {
    const before = ws.executions().length;
    const quiet = ws.ser(['stage', 'split']);
    expect(quiet.code, quiet.output).toBe(0);
    expect(quiet.output).toMatch(/split: up to date \(nothing changed since it ran /);
    expect(ws.executions()).toHaveLength(before);
    expect(ws.ser(['stage', 'split', '--force']).output).toMatch(/split: running \(forced \(nothing changed\)\)/);
    expect(
      ws
        .executions()
        .slice(before)
        .map((e) => e.stage),
    ).toEqual(['split']);
  });

  it('train.learningRate changed: only train and eval run', () => {
    const { ran } = run(`train.learningRate=${CHANGED_RATE}`);
    expect(ran).toEqual(['train', 'eval']);
    expect(ws.readJson('data/train/manifest.json').reasons).toEqual([`param train.learningRate: ${DEFAULT_RATE} → ${CHANGED_RATE}`]);
    expect(ws.readJson('data/eval/manifest.json').reasons).toEqual(["upstream 'train' output changed"]);
  });

  it('ser exp show lists both runs with train.learningRate as the only param column; exp diff gives metric deltas', () => {
    const show = ws.ser(['exp', 'show', '--json']);
    expect(show.code).toBe(0);
    const rows = JSON.parse(show.output) as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    const paramColumns = Object.keys(rows[0]).filter((k) => /^(ingest|trim|mel|augment|split|train|eval)\./.test(k));
    expect(paramColumns).toEqual(['train.learningRate']);
    expect(rows.map((r) => r['train.learningRate']).sort()).toEqual([DEFAULT_RATE, CHANGED_RATE]);
    const table = ws.ser(['exp', 'show']).output;
    expect(table).toMatch(/train\.learningRate/);
    const [a, b] = rows.map((r) => String(r.id));
    const diff = JSON.parse(ws.ser(['exp', 'diff', a, b, '--json']).output);
    expect(diff.params).toEqual([{ key: 'train.learningRate', a: expect.any(Number), b: expect.any(Number) }]);
    const f1 = diff.metrics.find((m: { key: string }) => m.key === 'test.macroF1');
    expect(f1.delta).toBeCloseTo(f1.b - f1.a, 12);
    expect(ws.ser(['exp', 'why']).output).toMatch(
      new RegExp(String.raw`train\s+ran in .*param train\.learningRate: ${literal(DEFAULT_RATE)} → ${literal(CHANGED_RATE)}`),
    );
  });

  it('going back to the previous params restores from cache', () => {
    expect(run().ran).toEqual([]);
  });

  it('mel.nMels changed: mel and the stages that read tensors run; ingest, trim and split do not', () => {
    const { ran } = run('mel.nMels=64');
    expect(ran).toEqual(['mel', 'augment', 'train', 'eval']);
    expect(ws.readJson('data/mel/manifest.json').reasons).toEqual(['param mel.nMels: 128 → 64']);
  });

  /** Run with each file edited by its edit (every edit must change its file), then put them back. */
  function runEdited(...edits: [file: string, edit: (text: string) => string][]): { ran: string[]; output: string } {
    const originals = edits.map(([file, edit]) => {
      const path = join(ws.root, file);
      const original = readFileSync(path, 'utf8');
      const edited = edit(original);
      expect(edited, file).not.toBe(original);
      writeFileSync(path, edited);
      return [path, original] as const;
    });
    try {
      return run();
    } finally {
      for (const [path, original] of originals) writeFileSync(path, original);
    }
  }

  it('a comment-only edit in a file the train stage imports: nothing reruns', () => {
    const { ran } = runEdited([
      'packages/model/src/train.ts',
      (t) =>
        t.replace('export interface TrainData {', '/** Rows for one training call (an edited comment). */\nexport interface TrainData {') +
        '\n// trailing note\n',
    ]);
    expect(ran).toEqual([]);
  });

  it('an edit to code only `ser exp` or `ser bench` uses: nothing reruns', () => {
    const { ran } = runEdited(
      ['packages/eval/src/compare/show.ts', (t) => t.replace("'test.macroF1', 'test.accuracy'", "'test.macroF1', 'test.weightedF1', 'test.accuracy'")],
      [
        'packages/model/src/bench.ts',
        (t) => t.replace(/(export async function benchTrain\([^)]*\)[^{]*\{\n)/, "$1  console.error('bench: an edited line');\n"),
      ],
    );
    expect(ran).toEqual([]);
  });

  it('a real edit to split code: split and the stages whose inputs changed, not augment', () => {
    const { ran } = runEdited([
      'packages/split/src/split.ts',
      (t) => t.replace("rngFor(params.seed, 'split', label)", "rngFor(params.seed + 1, 'split', label)"),
    ]);
    expect(ran).toEqual(['split', 'train', 'eval']);
    expect(ws.readJson('data/split/manifest.json').reasons).toEqual(['code changed']);
    expect(ws.readJson('data/train/manifest.json').reasons).toEqual(["upstream 'split' output changed"]);
  });

  it('a real edit to augment code: augment and the stages whose inputs changed', () => {
    const before = ws.readJson('data/augment/manifest.json').outputsHash;
    // Twice the noise amplitude (a scaled signal would not do: power_to_db(ref=max) does not see scale).
    const { ran } = runEdited(['packages/augment/src/noise.ts', (t) => t.replace('y[i] + sigma * rng.normal()', 'y[i] + 2 * sigma * rng.normal()')]);
    expect(ran).toEqual(['augment', 'train', 'eval']);
    expect(ws.readJson('data/augment/manifest.json').reasons).toEqual(['code changed']);
    expect(ws.readJson('data/augment/manifest.json').outputsHash).not.toBe(before);
    // Back to the original code: the original outputs, restored from the cache.
    expect(run().ran).toEqual([]);
    expect(ws.readJson('data/augment/manifest.json').outputsHash).toBe(before);
  });

  it('a corrupted artifact makes its stage run again', async () => {
    const path = artifact('mel', 'tensors');
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(path, bytes);
    expect(await checkOutputs(ws.root, 'mel')).toMatch(/corrupt/);
    const { ran } = run();
    expect(ran[0]).toBe('mel');
    expect(ran).not.toContain('ingest');
    expect(ran).not.toContain('trim');
    expect(ws.readJson('data/mel/manifest.json').reasons.join()).toMatch(/outputs invalid: output 'tensors' .* is corrupt/);
    expect(await checkOutputs(ws.root, 'mel')).toBeNull();
  });

  it('a deleted artifact makes its stage run again', async () => {
    rmSync(artifact('train', 'weights'));
    const { ran } = run();
    expect(ran[0]).toBe('train');
    expect(ran.every((s) => ['train', 'eval'].includes(s))).toBe(true);
    expect(await checkOutputs(ws.root, 'train')).toBeNull();
  });

  it('a killed stage leaves the previous complete outputs, never a partial one', async () => {
    const before = ws.readJson('data/trim/manifest.json');
    const child = ws.serAsync(['stage', 'trim', '--set', 'trim.topDb=30']);
    await new Promise<void>((resolve) => {
      // Kill it once it is visibly working (its progress line), i.e. mid-stage.
      child.stderr!.on('data', (chunk: Buffer) => {
        if (/trim: .*\d+\/\d+/.test(chunk.toString())) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    expect(child.signalCode).toBe('SIGKILL');
    expect(ws.readJson('data/trim/manifest.json')).toEqual(before);
    expect(await checkOutputs(ws.root, 'trim')).toBeNull();
    const listed = new Set([...Object.values(before.outputs).map((o: any) => o.file), 'manifest.json', 'outputs.sha256']);
    expect(readdirSync(join(ws.root, 'data/trim')).filter((f) => !listed.has(f))).toEqual([]);
    expect(run().ran).toEqual([]);
  });
});
