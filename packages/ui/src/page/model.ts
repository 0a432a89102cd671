/**
 * A recorded run's model in the page: its TF.js layers files and standardization.json fetched from
 * data/runs, its feature params from the run record (so the page computes exactly the features the
 * run was trained on). Runs on TF.js's wasm backend, served from this server.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { RunRecord } from '@ser/core';
import { melParams, trimParams, type MelParams, type TrimParams } from '@ser/features/params';
import type { Standardization } from '@ser/model';
// A model.json may name @ser/model's own layer classes (statistics or attention pooling): registered on import.
import '@ser/model/layers';

export interface RunModel {
  runId: string;
  model: tf.LayersModel;
  standardization: Standardization;
  classes: string[];
  trim: TrimParams;
  mel: MelParams;
}

let backend: Promise<string> | null = null;

/** The wasm backend (XNNPACK, as `ser predict` runs by default); cpu if it cannot start. */
function initBackend(): Promise<string> {
  backend ??= (async () => {
    setWasmPaths('/assets/tfjs/');
    if (await tf.setBackend('wasm').catch(() => false)) return 'wasm';
    await tf.setBackend('cpu');
    return 'cpu';
  })();
  return backend;
}

const cache = new Map<string, Promise<RunModel>>();

export function loadRunModel(record: RunRecord): Promise<RunModel> {
  if (!cache.has(record.id))
    cache.set(
      record.id,
      (async () => {
        await initBackend();
        const base = `/runs/${encodeURIComponent(record.id)}/train`;
        const model = await tf.loadLayersModel(`${base}/model.json`);
        const classes = (model.getUserDefinedMetadata() as { classes?: string[] } | undefined)?.classes;
        if (!Array.isArray(classes)) throw new Error(`${base}/model.json: no userDefinedMetadata.classes`);
        const res = await fetch(`${base}/standardization.json`);
        if (!res.ok) throw new Error(`${base}/standardization.json: HTTP ${res.status}`);
        return {
          runId: record.id,
          model,
          standardization: await res.json(),
          classes,
          trim: trimParams.parse(record.params.trim),
          mel: melParams.parse(record.params.mel),
        };
      })(),
    );
  return cache.get(record.id)!;
}

export const activeBackend = () => initBackend();
