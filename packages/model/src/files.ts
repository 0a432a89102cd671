/**
 * The trained model as files: TF.js layers format (model.json whose weightsManifest points at one
 * weights file, loadable by tf.loadLayersModel on any backend), with the class names in the
 * model.json's userDefinedMetadata, plus standardization.json.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STANDARDIZATION_AXES, type Standardization } from './standardize.ts';
// A model.json may name this package's layer classes: they are registered on import.
import './layers/index.ts';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const STANDARDIZATION_FILE = 'standardization.json';

export interface ModelFiles {
  modelJson: Uint8Array;
  weights: Uint8Array;
}

const utf8 = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** model.json (referring to `weightsName`) and the weights bytes. */
export async function modelFiles(model: tf.LayersModel, classes: string[], weightsName = WEIGHTS_FILE): Promise<ModelFiles> {
  model.setUserDefinedMetadata({ classes });
  let files: ModelFiles | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData!));
      // The model.json layout of tf.io's file handlers (io_utils getModelJSONForModelArtifacts).
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology!,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        userDefinedMetadata: artifacts.userDefinedMetadata,
        weightsManifest: [{ paths: [weightsName], weights: artifacts.weightSpecs! }],
      };
      files = { modelJson: utf8(json), weights };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files!;
}

export function standardizationFile(s: Standardization): Uint8Array {
  return utf8(s);
}

export interface TrainedModel {
  model: tf.LayersModel;
  standardization: Standardization;
  classes: string[];
}

async function readJson<T>(path: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`, { cause: e });
  }
}

/** Load model.json (+ the weights it names) and standardization.json from `dir` on the active backend. */
export async function loadTrainedModel(dir: string): Promise<TrainedModel> {
  const modelPath = join(dir, MODEL_FILE);
  const json = await readJson<tf.io.ModelJSON>(modelPath);
  if (!json.modelTopology || !Array.isArray(json.weightsManifest))
    throw new Error(`${modelPath}: not a TF.js layers model (no modelTopology / weightsManifest)`);
  const classes = (json.userDefinedMetadata as { classes?: string[] } | undefined)?.classes;
  if (!Array.isArray(classes)) throw new Error(`${modelPath}: no userDefinedMetadata.classes`);
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs = manifest.flatMap((g) => g.weights);
    const buffers = await Promise.all(
      manifest.flatMap((g) =>
        g.paths.map(async (p) => {
          const bytes = await readFile(join(dir, p)).catch((e: NodeJS.ErrnoException) => {
            throw new Error(`${join(dir, p)} (named by ${modelPath}): cannot read (${e.code ?? e.message})`);
          });
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        }),
      ),
    );
    return [specs, tf.io.concatenateArrayBuffers(buffers)];
  });
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const standardization = await readJson<Standardization>(join(dir, STANDARDIZATION_FILE));
  // Models trained before the axis was written standardise per mel band over the training set.
  const axis = standardization.axis ?? 'mel';
  if (axis === 'mel' && (!Array.isArray((standardization as { mean?: unknown }).mean) || !Array.isArray((standardization as { std?: unknown }).std)))
    throw new Error(`${join(dir, STANDARDIZATION_FILE)}: needs 'mean' and 'std' arrays`);
  if (!(STANDARDIZATION_AXES as readonly string[]).includes(axis))
    throw new Error(`${join(dir, STANDARDIZATION_FILE)}: unknown axis '${axis}' (expected one of ${STANDARDIZATION_AXES.map((a) => `'${a}'`).join(', ')})`);
  return { model, standardization, classes };
}
