/**
 * The `train` stage: fit the CNN on the training rows of split/assignment (log-Mel tensors from mel,
 * plus augment when params.useAugmented), early-stop on the val rows, and write the TF.js model,
 * the per-epoch history and the input standardisation. An interrupted run resumes from its last
 * completed epoch: checkpoints live in data/.checkpoints/train-<key>, key = sha256 of the upstream
 * output hashes, the params and the fold, and are deleted after success. With cross-validation
 * it runs once per fold, on that fold's training and validation speakers.
 */
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { hashJson, readClasses, readNumbers, readStrings, readTensor, type StageContext, type TensorBatch } from '@ser/core';
import { roleOf, rowsByRole } from '@ser/split/join';
import { folderCheckpointStore } from './checkpoint.ts';
import { MODEL_FILE, STANDARDIZATION_FILE, WEIGHTS_FILE, modelFiles, standardizationFile } from './files.ts';
import type { TrainParams } from './params.ts';
import { applyStandardization, fitStandardization } from './standardize.ts';
import { epochSampler, trainModel, type EpochRecord, type History, type TrainData } from './train.ts';

const utf8 = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 1));

export function formatEpoch(e: EpochRecord, epochs: number): string {
  const f = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : '-');
  const eta = `${Math.floor(e.etaSeconds / 60)}m${String(Math.round(e.etaSeconds % 60)).padStart(2, '0')}s`;
  return (
    `epoch ${e.epoch}/${epochs}  loss ${f(e.loss)}  acc ${f(e.accuracy, 3)}  val_loss ${f(e.valLoss)}  ` +
    `val_acc ${f(e.valAccuracy, 3)}  lr ${e.learningRate.toPrecision(2)}  ${e.samplesPerSec.toFixed(1)} samples/s  ${e.seconds.toFixed(0)}s  ETA ${eta}`
  );
}

/**
 * Rows of one or more tensor tables, as one [rows, nMels·frames] array, with their labels, the
 * recording each was made from (an index into `recordingIds`).
 */
function gather(
  parts: { tensors: TensorBatch; rows: number[]; labels: (row: number) => number; recording: (row: number) => string }[],
): TrainData & { recordings: Int32Array; recordingIds: string[] } {
  const size = parts[0].tensors.shape[0] * parts[0].tensors.shape[1];
  const total = parts.reduce((n, p) => n + p.rows.length, 0);
  const x = new Float32Array(total * size);
  const labels = new Int32Array(total);
  const recordings = new Int32Array(total);
  const index = new Map<string, number>();
  let i = 0;
  for (const { tensors, rows, labels: labelOf, recording } of parts)
    for (const r of rows) {
      x.set(tensors.data.subarray(r * size, (r + 1) * size), i * size);
      labels[i] = labelOf(r);
      const id = recording(r);
      if (!index.has(id)) index.set(id, index.size);
      recordings[i++] = index.get(id)!;
    }
  return { x, labels, recordings, recordingIds: [...index.keys()] };
}

/**
 * The training output `history`: what each epoch scored and which one was kept, and nothing about
 * how long it took (that goes to the manifest's summary), so the same training writes the same bytes.
 */
function historyOutput(history: History) {
  return {
    epochs: history.epochs.map(({ epoch, loss, accuracy, valLoss, valAccuracy, learningRate }) => ({
      epoch,
      loss,
      accuracy,
      valLoss,
      valAccuracy,
      learningRate,
    })),
    bestEpoch: history.bestEpoch,
    stoppedEarly: history.stoppedEarly,
    backend: history.backend,
    workers: history.workers,
  };
}

export async function runTrain(ctx: StageContext<TrainParams>): Promise<void> {
  const { params } = ctx;
  const assignment = await ctx.readTable('split', 'assignment');
  const classes = readClasses(assignment, 'split/assignment');
  const roles = roleOf(assignment);
  const labels = readNumbers(assignment, 'label_index');
  const assignedIds = readStrings(assignment, 'id');
  const labelOf = new Map(assignedIds.map((id, i) => [id, labels[i]]));
  const assignedSpeakers = readStrings(assignment, 'speaker');
  const speakerOf = new Map(assignedIds.map((id, i) => [id, assignedSpeakers[i]]));

  const melTable = await ctx.readTable('mel', 'tensors');
  const melIds = readStrings(melTable, 'id');
  const mel = readTensor(melTable, 'logmel');
  const augmentTable = params.useAugmented ? await ctx.readTable('augment', 'tensors') : null;
  const augmentSources = augmentTable ? readStrings(augmentTable, 'source') : [];
  const augment = augmentTable && readTensor(augmentTable, 'logmel');
  if (augment && String(augment.shape) !== String(mel.shape))
    throw new Error(`augment/tensors: logmel shape [${augment.shape}] differs from mel's [${mel.shape}]`);
  const rows = rowsByRole(roles, melIds, augmentSources);
  if (rows.unassigned.length)
    ctx.log(`train: ${rows.unassigned.length} mel tensor(s) have no recording in split/assignment and are not used, e.g. ${rows.unassigned[0]}`);

  const shape = mel.shape as [number, number];
  const melLabel = (r: number) => labelOf.get(melIds[r])!;
  const melRecording = (r: number) => melIds[r];
  const train = gather([
    { tensors: mel, rows: rows.mel.train, labels: melLabel, recording: melRecording },
    ...(augment
      ? [{ tensors: augment, rows: rows.augmentTrain, labels: (r: number) => labelOf.get(augmentSources[r])!, recording: (r: number) => augmentSources[r] }]
      : []),
  ]);
  const val = gather([{ tensors: mel, rows: rows.mel.val, labels: melLabel, recording: melRecording }]);
  const standardization = fitStandardization(train.x, train.labels.length, shape, params.standardize);
  const speakersOf = (d: ReturnType<typeof gather>) => Array.from(d.recordings, (r) => speakerOf.get(d.recordingIds[r])!);
  train.x = applyStandardization(standardization, train.x, train.labels.length, shape, speakersOf(train));
  val.x = applyStandardization(standardization, val.x, val.labels.length, shape, speakersOf(val));
  ctx.log(`${train.labels.length} training and ${val.labels.length} validation tensors of [${shape}], ${classes.length} classes`);

  const key = hashJson({ inputs: ctx.deps.map((s) => ctx.upstream(s).outputsHash), params, fold: ctx.fold }).slice(0, 16);
  const checkpointDir = join(ctx.root, 'data', '.checkpoints', `train-${key}`);
  const epochSize = epochSampler(train, params.variantsPerEpoch).size;
  if (epochSize !== train.labels.length)
    ctx.log(`each epoch: one tensor of each of the ${epochSize} training recordings (itself or a variant, drawn at random)`);
  const store = folderCheckpointStore(checkpointDir);
  const saved = await store.load();
  if (saved) ctx.log(`resuming after epoch ${saved.epoch}/${params.epochs} from the checkpoint in ${relative(ctx.root, checkpointDir)}`);
  const progress = ctx.progress('train', params.epochs * epochSize, (saved?.epoch ?? 0) * epochSize);
  let ticked = 0;
  const { model, history } = await trainModel({
    train,
    val,
    numClasses: classes.length,
    params,
    inputShape: [shape[0], shape[1], 1],
    checkpoint: { ...store, load: async () => saved },
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
  await ctx.writeFile('weights', files.weights, WEIGHTS_FILE);
  await ctx.writeFile('model', files.modelJson, MODEL_FILE);
  await ctx.writeFile('standardization', standardizationFile(standardization), STANDARDIZATION_FILE);
  await ctx.writeFile('history', utf8(historyOutput(history)), 'history.json');
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
    augmentedRows: augment ? rows.augmentTrain.length : 0,
    samplesPerSec: history.samplesPerSec,
    epochTimes: history.epochs.map(({ epoch, seconds, samplesPerSec, preciseBnSeconds }) => ({ epoch, seconds, samplesPerSec, preciseBnSeconds })),
  });
  model.dispose();
  await rm(checkpointDir, { recursive: true, force: true });
}
