/**
 * The `eval` stage: run the trained model on the val and test recordings (original clips, not
 * augmented variants), write metrics.json, the figures (SVG + PNG) and a self-contained report.html.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readClasses, readNumbers, readStrings, readTensor, type StageContext } from '@ser/core';
import type { Backend } from '@ser/model/params';
import { roleOf, rowsByRole } from '@ser/split/join';
import { splitParams } from '@ser/split/params';
import type { TopLevelSpec } from 'vega-lite';
import { confusionMatrixSpec, learningCurvesSpec, parseHistory, renderFigure, type TrainingHistory } from './figures/index.ts';
import { argmaxRows, splitMetrics, type EvalMetrics, type SplitMetrics } from './metrics.ts';
import { CONFUSION_KINDS, EVALUATED } from './outputs.ts';
import type { EvalParams } from './params.ts';
import { describeProtocol } from './protocol.ts';
import { renderReport, type ReportInput } from './report.ts';

/** A trained model ready to score clips: probabilities row-major [count, classes.length]. */
export interface LoadedModel {
  classes: string[];
  backend: string;
  predict(logmel: Float32Array, count: number, shape: [number, number]): Promise<Float32Array>;
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
    predict: async (logmel, count, shape) => model.predictProbabilities(net, standardization, logmel, count, shape),
  };
};

/** Predicted class of each listed mel row (the model batches its forward passes itself). */
async function predictRows(model: LoadedModel, tensors: Float32Array, rows: number[], shape: [number, number]): Promise<Int32Array> {
  const size = shape[0] * shape[1];
  const input = new Float32Array(rows.length * size);
  rows.forEach((r, i) => input.set(tensors.subarray(r * size, (r + 1) * size), i * size));
  return argmaxRows(await model.predict(input, rows.length, shape), model.classes.length);
}

/** Learning curves and, per evaluated split, the confusion matrix in counts and row-normalised: SVG + PNG outputs. */
async function writeFigures(ctx: StageContext<EvalParams>, metrics: EvalMetrics, history: TrainingHistory) {
  const specs: { name: string; title: string; spec: TopLevelSpec }[] = [
    { name: 'learning-curves', title: 'Learning curves', spec: learningCurvesSpec(history) },
  ];
  for (const split of EVALUATED) {
    const m = metrics[split];
    if (!m) continue;
    for (const kind of CONFUSION_KINDS) {
      const normalize = kind === 'normalised';
      specs.push({
        name: `confusion-${split}-${kind}`,
        title: `Confusion matrix, ${split} (${kind})`,
        spec: confusionMatrixSpec(m.confusionMatrix, metrics.classes, { normalize, title: `Confusion matrix, ${split}` }),
      });
    }
  }
  const figures: { title: string; svg: string }[] = [];
  for (const { name, title, spec } of specs) {
    const { svg, png } = await renderFigure(spec);
    await ctx.writeFile(`${name}.svg`, new TextEncoder().encode(svg), `${name}.svg`);
    await ctx.writeFile(`${name}.png`, png, `${name}.png`);
    figures.push({ title, svg });
  }
  return figures;
}

/** Params of the upstream stages and the dataset, code and output hashes, from their manifests. */
function provenance(ctx: StageContext<EvalParams>): Pick<ReportInput, 'params' | 'hashes'> {
  const upstream = ctx.deps.map((s) => ({ stage: s, manifest: ctx.upstream(s) }));
  return {
    params: { ...Object.fromEntries(upstream.map((u) => [u.stage, u.manifest.params])), eval: ctx.params },
    hashes: [
      { label: `dataset (${ctx.dataset.path})`, value: upstream.map((u) => u.manifest.inputs.dataset).find(Boolean) ?? '(none)' },
      ...upstream.flatMap((u) => [
        { label: `${u.stage} code`, value: u.manifest.codeHash ?? '(unknown)' },
        { label: `${u.stage} outputs`, value: u.manifest.outputsHash ?? '(unknown)' },
      ]),
    ],
  };
}

export async function runEval(ctx: StageContext<EvalParams>, load: ModelLoader): Promise<void> {
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
      ctx.log(`eval: ${rows.withoutTensor[split].length} ${split} recording(s) have no mel tensor (excluded upstream, see the trim manifest) and are not scored, e.g. ${rows.withoutTensor[split][0]}`);

  const modelDir = dirname(await ctx.inputPath('train', 'model'));
  // The model reads these from the same folder; asking for them hash-verifies them first.
  await ctx.inputPath('train', 'weights');
  await ctx.inputPath('train', 'standardization');
  const model = await load(modelDir, ctx.params.backend);
  if (JSON.stringify(model.classes) !== JSON.stringify(classes))
    throw new Error(`train/model classes [${model.classes}] differ from split/assignment classes [${classes}]; rerun train`);

  // Evaluate original recordings only: augmented variants of val/test clips would count a clip several times.
  const results: Record<(typeof EVALUATED)[number], SplitMetrics | null> = { val: null, test: null };
  for (const split of EVALUATED) {
    const melRows = rows.mel[split];
    if (melRows.length === 0) {
      ctx.log(`eval: the ${split} split is empty; no ${split} metrics`);
      continue;
    }
    const predicted = await predictRows(model, mel.data, melRows, shape);
    const recs = melRows.map((r) => recordingOf(melIds[r]));
    results[split] = splitMetrics(
      recs.map((r) => labels[r]),
      predicted,
      classes,
      recs.map((r) => genders[r]),
      recs.map((r) => speakers[r]),
    );
  }
  const speakersIn = (split: 'train' | 'val' | 'test') => rows.mel[split].map((r) => speakers[recordingOf(melIds[r])]);

  const protocol = describeProtocol(splitParams.parse(ctx.upstream('split').params), {
    train: speakersIn('train'),
    val: speakersIn('val'),
    test: speakersIn('test'),
  });
  const metrics: EvalMetrics = { classes, backend: model.backend, protocol, ...results };
  await ctx.writeFile('metrics', new TextEncoder().encode(JSON.stringify(metrics, null, 2)), 'metrics.json');

  const historyPath = await ctx.inputPath('train', 'history');
  const history = parseHistory(JSON.parse(await readFile(historyPath, 'utf8')), historyPath);
  const figures = await writeFigures(ctx, metrics, history);
  // No wall-clock time in the report: the same inputs give the same bytes (the run record has the dates).
  const html = renderReport({
    title: 'Speech emotion recognition: evaluation',
    metrics,
    figures,
    ...provenance(ctx),
  });
  await ctx.writeFile('report', new TextEncoder().encode(html), 'report.html');

  for (const split of EVALUATED) {
    const m = results[split];
    if (m) ctx.summary[split] = { count: m.count, accuracy: m.accuracy, balancedAccuracy: m.balancedAccuracy, macroF1: m.macroF1 };
  }
  ctx.summary.notScored = Object.fromEntries(EVALUATED.map((s) => [s, rows.withoutTensor[s].length]));
  ctx.summary.backend = model.backend;
  ctx.summary.protocol = protocol.description;
  const test = results.test;
  if (test) ctx.log(`eval: test macro-F1 ${test.macroF1.toFixed(4)}, accuracy ${test.accuracy.toFixed(4)}, UAR ${test.balancedAccuracy.toFixed(4)} (${protocol.groupBy} split)`);
}
