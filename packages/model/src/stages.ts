/**
 * The `train` stage: fit the CNN on the training rows of split/assignment (log-Mel tensors from mel,
 * plus augment when params.useAugmented), early-stop on the val rows, and write the TF.js model,
 * the per-epoch history and the input standardisation. An interrupted run resumes from its last
 * completed epoch: checkpoints live in data/.checkpoints/train-<key>, key = sha256 of the upstream
 * output hashes and the params, and are deleted after success.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CLASSES_METADATA,
  hashJson,
  OUTPUTS,
  readNumbers,
  readStrings,
  readTensor,
  type StageContext,
  type StageDefinition,
  type TrainParams,
} from '@ser/core';
import { folderCheckpointStore } from './checkpoint.ts';
import { MODEL_FILE, STANDARDIZATION_FILE, WEIGHTS_FILE, modelFiles, standardizationFile } from './files.ts';
import { applyStandardization, fitStandardization } from './standardize.ts';
import { trainModel, type EpochRecord, type TrainData } from './train.ts';

const utf8 = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 1));

export function formatEpoch(e: EpochRecord, epochs: number): string {
  const f = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : '-');
  const eta = `${Math.floor(e.etaSeconds / 60)}m${String(Math.round(e.etaSeconds % 60)).padStart(2, '0')}s`;
  return (
    `epoch ${e.epoch}/${epochs}  loss ${f(e.loss)}  acc ${f(e.accuracy, 3)}  val_loss ${f(e.valLoss)}  ` +
    `val_acc ${f(e.valAccuracy, 3)}  lr ${e.learningRate.toPrecision(2)}  ${e.samplesPerSec.toFixed(1)} samples/s  ${e.seconds.toFixed(0)}s  ETA ${eta}`
  );
}

interface Source {
  data: Float32Array;
  shape: number[];
}

/** Rows of `split` as one [rows, nMels·frames] array with labels. */
function gather(rows: number[], tableOf: string[], rowOf: number[], labelOf: number[], sources: Record<string, Source>): TrainData {
  const size = sources.mel.shape[0] * sources.mel.shape[1];
  const x = new Float32Array(rows.length * size);
  const labels = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    const src = sources[tableOf[r]];
    x.set(src.data.subarray(rowOf[r] * size, (rowOf[r] + 1) * size), i * size);
    labels[i] = labelOf[r];
  });
  return { x, labels };
}

async function runTrain(ctx: StageContext<TrainParams>): Promise<void> {
  const { params } = ctx;
  const assignment = await ctx.readTable('split', OUTPUTS.split.assignment);
  const rawClasses = assignment.schema.metadata.get(CLASSES_METADATA);
  if (!rawClasses) throw new Error(`split/assignment: no '${CLASSES_METADATA}' schema metadata (rerun the split stage)`);
  const classes = JSON.parse(rawClasses) as string[];
  const splitOf = readStrings(assignment, 'split');
  const tableOf = readStrings(assignment, 'table');
  const rowOf = readNumbers(assignment, 'row');
  const labelOf = readNumbers(assignment, 'label_index');

  const sources: Record<string, Source> = { mel: readTensor(await ctx.readTable('mel', OUTPUTS.mel.tensors), 'logmel') };
  const wanted = (r: number) => tableOf[r] === 'mel' || (params.useAugmented && tableOf[r] === 'augment');
  if (params.useAugmented && tableOf.some((t) => t === 'augment'))
    sources.augment = readTensor(await ctx.readTable('augment', OUTPUTS.augment.tensors), 'logmel');
  for (const [i, t] of tableOf.entries())
    if (wanted(i) && !sources[t]) throw new Error(`split/assignment row ${i}: unknown table '${t}' (expected 'mel' or 'augment')`);
  if (sources.augment && String(sources.augment.shape) !== String(sources.mel.shape))
    throw new Error(`augment/tensors: logmel shape [${sources.augment.shape}] differs from mel's [${sources.mel.shape}]`);

  const rowsOf = (split: string) => splitOf.flatMap((s, r) => (s === split && wanted(r) ? [r] : []));
  const shape = sources.mel.shape as [number, number];
  const train = gather(rowsOf('train'), tableOf, rowOf, labelOf, sources);
  const val = gather(rowsOf('val'), tableOf, rowOf, labelOf, sources);
  const standardization = fitStandardization(train.x, train.labels.length, shape);
  train.x = applyStandardization(standardization, train.x, train.labels.length, shape);
  val.x = applyStandardization(standardization, val.x, val.labels.length, shape);
  ctx.log(`${train.labels.length} training and ${val.labels.length} validation tensors of [${shape}], ${classes.length} classes`);

  const key = hashJson({ inputs: ['mel', 'augment', 'split'].map((s) => ctx.upstream(s as 'mel').outputsHash), params }).slice(0, 16);
  const checkpointDir = join(ctx.root, 'data', '.checkpoints', `train-${key}`);
  const progress = ctx.progress('train', params.epochs * train.labels.length);
  let ticked = 0;
  const { model, history } = await trainModel({
    train,
    val,
    numClasses: classes.length,
    params,
    inputShape: [shape[0], shape[1], 1],
    checkpoint: folderCheckpointStore(checkpointDir),
    onBatch: (done) => {
      progress.tick(done - ticked);
      ticked = done;
    },
    onEpoch: (e) => {
      ticked = 0;
      ctx.log(formatEpoch(e, params.epochs));
    },
  });
  progress.done();
  const files = await modelFiles(model, classes, WEIGHTS_FILE);
  await ctx.writeFile(OUTPUTS.train.weights, files.weights, WEIGHTS_FILE);
  await ctx.writeFile(OUTPUTS.train.model, files.modelJson, MODEL_FILE);
  await ctx.writeFile(OUTPUTS.train.standardization, standardizationFile(standardization), STANDARDIZATION_FILE);
  await ctx.writeFile(OUTPUTS.train.history, utf8(history), 'history.json');
  const best = history.epochs.find((e) => e.epoch === history.bestEpoch);
  Object.assign(ctx.summary, {
    backend: history.backend,
    workers: history.workers,
    trainRows: train.labels.length,
    valRows: val.labels.length,
    epochsRun: history.epochs.length,
    bestEpoch: history.bestEpoch,
    stoppedEarly: history.stoppedEarly,
    valLoss: best?.valLoss ?? null,
    valAccuracy: best?.valAccuracy ?? null,
    samplesPerSec: history.samplesPerSec,
  });
  model.dispose();
  await rm(checkpointDir, { recursive: true, force: true });
}

export const stages: StageDefinition[] = [{ name: 'train', run: runTrain }];
