/**
 * The `eval` stage, once per fold: run the fold's trained model on its val and test recordings
 * (original clips, not augmented variants), write metrics.json (with a bootstrap interval beside
 * each figure) and predictions.arrow; for a holdout split also the figures (SVG + PNG) and a
 * self-contained report.html. With cross-validation, `combineEval` then writes the stage's own
 * metrics.json — per-fold figures, their mean with a Student-t interval, the pooled confusion
 * matrix — with its figures and report.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { buildTable, foldTaskId, indicesByKey, readClasses, readNumbers, readStrings, readTensor, type StageContext } from '@ser/core';
import type { Backend } from '@ser/model/params';
import { roleOf, rowsByRole } from '@ser/split/join';
import { splitParams } from '@ser/split/params';
import type { TopLevelSpec } from 'vega-lite';
import { confusionMatrixSpec, learningCurvesSpec, parseHistory, renderFigure, type TrainingHistory } from './figures/index.ts';
import { bootstrapFigures, foldFigures, formatInterval, type ScoredSplit } from './intervals.ts';
import { argmaxRows, splitMetrics, type EvalMetrics, type FoldMetrics, type SplitMetrics } from './metrics.ts';
import { CONFUSION_KINDS, EVALUATED, type EvaluatedSplit } from './outputs.ts';
import type { EvalParams } from './params.ts';
import { describeProtocol } from './protocol.ts';
import { renderReport, type ReportInput } from './report.ts';

/** A trained model ready to score clips: probabilities row-major [count, classes.length]; `speakers` one per clip. */
export interface LoadedModel {
  classes: string[];
  backend: string;
  predict(logmel: Float32Array, count: number, shape: [number, number], speakers: string[]): Promise<Float32Array>;
}

export type ModelLoader = (modelDir: string, backend: Backend) => Promise<LoadedModel>;

/** @ser/model's inference entry, imported on first use so that tfjs only loads when a model is actually run. */
export const loadModel: ModelLoader = async (modelDir, backend) => {
  const model = await import('@ser/model/inference');
  const chosen: unknown = await model.initBackend(backend);
  const { model: net, standardization, classes } = await model.loadTrainedModel(modelDir);
  return {
    classes,
    backend: typeof chosen === 'string' ? chosen : backend,
    predict: async (logmel, count, shape, speakers) => model.predictProbabilities(net, standardization, logmel, count, shape, speakers),
  };
};

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2));

/** Class probabilities of the listed rows, spoken by `speakers` (the model batches its forward passes itself). */
async function predictRows(model: LoadedModel, tensors: Float32Array, rows: number[], speakers: string[], shape: [number, number]): Promise<Float32Array> {
  const size = shape[0] * shape[1];
  const input = new Float32Array(rows.length * size);
  rows.forEach((r, i) => input.set(tensors.subarray(r * size, (r + 1) * size), i * size));
  return model.predict(input, rows.length, shape, speakers);
}

/** The augmented tensors of each recording (augment/tensors rows by their `source` id). */
interface Variants {
  tensors: Float32Array;
  rowsOf: Map<string, number[]>;
}

async function readVariants(ctx: StageContext<EvalParams>): Promise<Variants> {
  const table = await ctx.readTable('augment', 'tensors');
  return { tensors: readTensor(table, 'logmel').data, rowsOf: indicesByKey(readStrings(table, 'source')) };
}

/**
 * Class probabilities of the listed mel rows' recordings: each row's own, or with `variants` (eval.tta)
 * the mean over the row and its recording's augmented variants.
 */
async function recordingProbabilities(
  model: LoadedModel,
  mel: Float32Array,
  melRows: number[],
  speakers: string[],
  melIds: string[],
  shape: [number, number],
  variants: Variants | null,
): Promise<Float32Array> {
  const own = await predictRows(model, mel, melRows, speakers, shape);
  if (!variants) return own;
  const k = model.classes.length;
  const variantRows: number[] = [];
  const owner: number[] = [];
  melRows.forEach((r, i) => {
    for (const v of variants.rowsOf.get(melIds[r]) ?? []) {
      variantRows.push(v);
      owner.push(i);
    }
  });
  const extra = await predictRows(
    model,
    variants.tensors,
    variantRows,
    owner.map((i) => speakers[i]),
    shape,
  );
  const sum = Float32Array.from(own);
  const count = new Float32Array(melRows.length).fill(1);
  owner.forEach((i, j) => {
    for (let c = 0; c < k; c++) sum[i * k + c] += extra[j * k + c];
    count[i]++;
  });
  return sum.map((p, idx) => p / count[Math.floor(idx / k)]);
}

/** A figure to write as `<name>.svg` and `<name>.png` and show in the report. */
interface Figure {
  name: string;
  title: string;
  spec: TopLevelSpec;
}

/** Confusion matrices of a split, in counts and row-normalised. */
const confusionFigures = (split: string, m: SplitMetrics, classes: string[], label = split): Figure[] =>
  CONFUSION_KINDS.map((kind) => ({
    name: `confusion-${split}-${kind}`,
    title: `Confusion matrix, ${label} (${kind})`,
    spec: confusionMatrixSpec(m.confusionMatrix, classes, { normalize: kind === 'normalised', title: `Confusion matrix, ${label}` }),
  }));

/** Render the figures as SVG + PNG outputs; the SVGs go into the report. */
async function writeFigures(ctx: StageContext<EvalParams>, figures: Figure[]): Promise<{ title: string; svg: string }[]> {
  const out: { title: string; svg: string }[] = [];
  for (const { name, title, spec } of figures) {
    const { svg, png } = await renderFigure(spec);
    await ctx.writeFile(`${name}.svg`, new TextEncoder().encode(svg), `${name}.svg`);
    await ctx.writeFile(`${name}.png`, png, `${name}.png`);
    out.push({ title, svg });
  }
  return out;
}

/** Params of the upstream stages and the dataset, code and output hashes, from their manifests. */
function provenance(ctx: StageContext<EvalParams>): Pick<ReportInput, 'params' | 'hashes'> {
  const upstream = ctx.deps.map((task) => ({ task, manifest: ctx.upstream(task) }));
  const stageOf = (task: string) => task.replace(/\.fold\d+$/, '');
  return {
    params: { ...Object.fromEntries(upstream.map((u) => [stageOf(u.task), u.manifest.params])), eval: ctx.params },
    hashes: [
      { label: `dataset (${ctx.dataset.path})`, value: upstream.map((u) => u.manifest.inputs.dataset).find(Boolean) ?? '(none)' },
      ...upstream.flatMap((u) => [
        { label: `${u.task} code`, value: u.manifest.codeHash ?? '(unknown)' },
        { label: `${u.task} outputs`, value: u.manifest.outputsHash ?? '(unknown)' },
      ]),
    ],
  };
}

async function readHistory(ctx: StageContext<EvalParams>, train: string): Promise<TrainingHistory> {
  const path = await ctx.inputPath(train, 'history');
  return parseHistory(JSON.parse(await readFile(path, 'utf8')), path);
}

/** The summary line of a run: the test macro-F1 with its interval, and the protocol. */
const evalLine = (m: EvalMetrics) =>
  m.summary['test.macroF1']
    ? `eval: test macro-F1 ${formatInterval(m.summary['test.macroF1'], 4)}, accuracy ${formatInterval(m.summary['test.accuracy'], 4)}, UAR ${formatInterval(m.summary['test.balancedAccuracy'], 4)} (${m.protocol.description.split(':')[0]})`
    : 'eval: no test recordings';

/** The per-fold task (or the only one, for a holdout split): score the fold's val and test recordings. */
export async function runEval(ctx: StageContext<EvalParams>, load: ModelLoader): Promise<void> {
  const fold = ctx.fold ?? { index: 1, count: 1 };
  const assignment = await ctx.readTable('split', 'assignment');
  const classes = readClasses(assignment, 'split/assignment');
  const roles = roleOf(assignment);

  const recordings = await ctx.readTable('ingest', 'recordings');
  const recordingIds = readStrings(recordings, 'id');
  const speakers = readStrings(recordings, 'speaker');
  const genders = readStrings(recordings, 'gender');
  const labels = readNumbers(recordings, 'label_index');
  const recordingIndex = new Map(recordingIds.map((id, i) => [id, i]));
  const recordingOf = (id: string) => {
    const i = recordingIndex.get(id);
    if (i === undefined) throw new Error(`mel/tensors: recording '${id}' is not in ingest/recordings`);
    return i;
  };

  const melTable = await ctx.readTable('mel', 'tensors');
  const melIds = readStrings(melTable, 'id');
  const mel = readTensor(melTable, 'logmel');
  if (mel.shape.length !== 2) throw new Error(`mel/tensors: logmel has shape [${mel.shape}], expected [nMels, frames]`);
  const shape = mel.shape as [number, number];
  const rows = rowsByRole(roles, melIds);
  for (const split of EVALUATED)
    if (rows.withoutTensor[split].length)
      ctx.log(
        `eval: ${rows.withoutTensor[split].length} ${split} recording(s) have no mel tensor (excluded upstream, see the trim manifest) and are not scored, e.g. ${rows.withoutTensor[split][0]}`,
      );

  const modelDir = dirname(await ctx.inputPath('train', 'model'));
  // The model reads these from the same folder; asking for them hash-verifies them first.
  await ctx.inputPath('train', 'weights');
  await ctx.inputPath('train', 'standardization');
  const model = await load(modelDir, ctx.params.backend);
  if (JSON.stringify(model.classes) !== JSON.stringify(classes))
    throw new Error(`train/model classes [${model.classes}] differ from split/assignment classes [${classes}]; rerun train`);

  // Score each val/test recording once: by its original tensor (and, with eval.tta, its variants averaged in).
  const variants = ctx.params.tta === 'variants' ? await readVariants(ctx) : null;
  const results: Record<EvaluatedSplit, SplitMetrics | null> = { val: null, test: null };
  const scored: Partial<Record<EvaluatedSplit, ScoredSplit>> = {};
  const predictions = {
    id: [] as string[],
    split: [] as string[],
    gender: [] as string[],
    label: [] as number[],
    predicted: [] as number[],
    probabilities: [] as Float32Array[],
  };
  for (const split of EVALUATED) {
    const melRows = rows.mel[split];
    if (melRows.length === 0) {
      ctx.log(`eval: the ${split} split is empty; no ${split} metrics`);
      continue;
    }
    const recs = melRows.map((r) => recordingOf(melIds[r]));
    const probabilities = await recordingProbabilities(
      model,
      mel.data,
      melRows,
      recs.map((r) => speakers[r]),
      melIds,
      shape,
      variants,
    );
    const predicted = argmaxRows(probabilities, classes.length);
    const truth = Int32Array.from(recs, (r) => labels[r]);
    results[split] = splitMetrics(
      truth,
      predicted,
      classes,
      recs.map((r) => genders[r]),
      recs.map((r) => speakers[r]),
    );
    scored[split] = { labels: truth, predicted, genders: recs.map((r) => genders[r]) };
    recs.forEach((r, i) => {
      predictions.id.push(recordingIds[r]);
      predictions.split.push(split);
      predictions.gender.push(genders[r]);
      predictions.label.push(labels[r]);
      predictions.predicted.push(predicted[i]);
      predictions.probabilities.push(probabilities.subarray(i * classes.length, (i + 1) * classes.length));
    });
  }
  await ctx.writeTable(
    'predictions',
    buildTable(predictions.id.length, {
      id: predictions.id,
      split: predictions.split,
      gender: predictions.gender,
      label_index: Int32Array.from(predictions.label),
      predicted: Int32Array.from(predictions.predicted),
      probabilities: { data: Float32Array.from(predictions.probabilities.flatMap((p) => Array.from(p))), shape: [classes.length] },
    }),
  );

  const speakersIn = (split: 'train' | 'val' | 'test') => rows.mel[split].map((r) => speakers[recordingOf(melIds[r])]);
  const protocol = describeProtocol(splitParams.parse(ctx.upstream('split').params), [
    { train: speakersIn('train'), val: speakersIn('val'), test: speakersIn('test') },
  ]);
  const metrics: EvalMetrics = { classes, backend: model.backend, protocol, ...results, summary: bootstrapFigures(scored, classes) };
  await ctx.writeFile('metrics', json(metrics), 'metrics.json');
  for (const split of EVALUATED) {
    const m = results[split];
    if (m) ctx.summary[split] = { count: m.count, accuracy: m.accuracy, balancedAccuracy: m.balancedAccuracy, macroF1: m.macroF1 };
  }
  ctx.summary.notScored = Object.fromEntries(EVALUATED.map((s) => [s, rows.withoutTensor[s].length]));
  ctx.summary.backend = model.backend;
  if (fold.count > 1) {
    if (results.test) ctx.log(`eval: test macro-F1 ${results.test.macroF1.toFixed(4)} on speakers ${results.test.speakers.join(' ')}`);
    return;
  }
  // A holdout split: this task is the whole evaluation.
  ctx.summary.protocol = protocol.description;
  const figures = [
    { name: 'learning-curves', title: 'Learning curves', spec: learningCurvesSpec(await readHistory(ctx, 'train')) },
    ...EVALUATED.flatMap((split) => (results[split] ? confusionFigures(split, results[split]!, classes) : [])),
  ];
  // No wall-clock time in the report: the same inputs give the same bytes (the run record has the dates).
  const html = renderReport({ title: 'Speech emotion recognition: evaluation', metrics, figures: await writeFigures(ctx, figures), ...provenance(ctx) });
  await ctx.writeFile('report', new TextEncoder().encode(html), 'report.html');
  ctx.log(evalLine(metrics));
}

/** Cross-validation: the folds' metrics, their Student-t intervals, the pooled test confusion matrix, figures and report. */
export async function combineEval(ctx: StageContext<EvalParams>): Promise<void> {
  const perFold: EvalMetrics[] = [];
  for (const task of ctx.folds) perFold.push(JSON.parse(await readFile(await ctx.inputPath(task, 'metrics'), 'utf8')) as EvalMetrics);
  /** The fold tasks of an upstream per-fold stage, in fold order (those of this task's folds). */
  const foldTasksOf = (stage: string) => ctx.folds.map((_, k) => foldTaskId(stage, k + 1));
  const assignments = await Promise.all(foldTasksOf('split').map((task) => ctx.readTable(task, 'assignment')));
  const classes = readClasses(assignments[0], 'split/assignment');
  const assignedSpeakers = readStrings(assignments[0], 'speaker');
  const speakerOf = new Map(readStrings(assignments[0], 'id').map((id, i) => [id, assignedSpeakers[i]] as const));
  const folds: FoldMetrics[] = perFold.map((m, k) => {
    const roles = [...roleOf(assignments[k])];
    const actorsIn = (role: string) => [...new Set(roles.filter(([, r]) => r === role).map(([id]) => speakerOf.get(id)!))].sort();
    return { fold: k + 1, actors: { train: actorsIn('train'), val: actorsIn('val'), test: actorsIn('test') }, val: m.val, test: m.test };
  });

  // Every recording is tested in exactly one fold: pooling the folds' test predictions scores each once.
  const recordings = await ctx.readTable('ingest', 'recordings');
  const genders = readStrings(recordings, 'gender');
  const genderOf = new Map(readStrings(recordings, 'id').map((id, i) => [id, genders[i]] as const));
  const pooledRows = { labels: [] as number[], predicted: [] as number[], ids: [] as string[] };
  for (const task of ctx.folds) {
    const p = await ctx.readTable(task, 'predictions');
    const [ids, splits, truth, predicted] = [readStrings(p, 'id'), readStrings(p, 'split'), readNumbers(p, 'label_index'), readNumbers(p, 'predicted')];
    splits.forEach((s, i) => {
      if (s !== 'test') return;
      pooledRows.ids.push(ids[i]);
      pooledRows.labels.push(truth[i]);
      pooledRows.predicted.push(predicted[i]);
    });
  }
  const pooled = pooledRows.ids.length
    ? splitMetrics(
        pooledRows.labels,
        pooledRows.predicted,
        classes,
        pooledRows.ids.map((id) => genderOf.get(id) ?? ''),
        pooledRows.ids.map((id) => speakerOf.get(id) ?? ''),
      )
    : null;
  const protocol = describeProtocol(
    splitParams.parse(ctx.upstream('split').params),
    folds.map((f) => f.actors),
  );
  const metrics: EvalMetrics = { classes, backend: perFold[0]?.backend ?? '', protocol, val: null, test: pooled, folds, summary: foldFigures(folds) };
  await ctx.writeFile('metrics', json(metrics), 'metrics.json');

  const figures = [
    ...(pooled ? confusionFigures('test', pooled, classes, 'test, all folds') : []),
    ...(await Promise.all(
      foldTasksOf('train').map(async (t, k) => ({
        name: `learning-curves-fold${k + 1}`,
        title: `Learning curves, fold ${k + 1}`,
        spec: learningCurvesSpec(await readHistory(ctx, t), `Learning curves, fold ${k + 1}`),
      })),
    )),
  ];
  const html = renderReport({
    title: `Speech emotion recognition: ${protocol.partitionFolds}-fold cross-validation${protocol.folds < protocol.partitionFolds ? ` (a screen: the first ${protocol.folds} folds)` : ''}`,
    metrics,
    figures: await writeFigures(ctx, figures),
    ...provenance(ctx),
  });
  await ctx.writeFile('report', new TextEncoder().encode(html), 'report.html');
  ctx.summary.protocol = protocol.description;
  ctx.summary.test = metrics.summary['test.macroF1'] ?? null;
  ctx.log(evalLine(metrics));
}
