/**
 * "Try it": an audio file (dropped or chosen) or a microphone recording through a run's model, all
 * in the page. The features are @ser/features' own extract path (decodeAudio, resample, trim,
 * log-Mel: bundled, not re-implemented), the prediction @ser/model's predictProbabilities on TF.js,
 * so a file gives what `ser predict` gives for it.
 */
import type { RunRecord } from '@ser/core';
import { decodedFeatures, extractFeatures, type FeatureRow } from '@ser/features/extract';
import { predictProbabilities } from '@ser/model/predict';
import { fetchRun, fetchRuns } from './api.ts';
import { chart } from './charts.ts';
import { h, show } from './dom.ts';
import { activeBackend, loadRunModel, type RunModel } from './model.ts';
import { startRecording, type Recording } from './microphone.ts';
import { probabilitiesSpec } from './specs.ts';

/** The longest recording kept; the model sees 128 frames (≈3 s at 22.05 kHz) in any case. */
const MAX_RECORDING_SECONDS = 6;

function classify(model: RunModel, row: FeatureRow): Record<string, number> {
  const p = predictProbabilities(model.model, model.standardization, row.logmel, 1, [model.mel.nMels, model.mel.frames]);
  return Object.fromEntries(model.classes.map((c, k) => [c, p[k]]));
}

function resultView(source: string, row: FeatureRow, probabilities: Record<string, number>, runId: string, backend: string): HTMLElement {
  const [label, best] = Object.entries(probabilities).reduce((a, b) => (b[1] > a[1] ? b : a));
  return h(
    'section',
    { 'data-role': 'prediction', 'data-source': source, 'data-label': label, 'data-probabilities': JSON.stringify(probabilities) },
    h('h2', {}, `${source}: ${label} (${(100 * best).toFixed(1)}%)`),
    h(
      'p',
      { class: 'muted' },
      `run ${runId} · source ${row.sourceRate} Hz × ${row.sourceChannels} ch · trimmed to [${row.trimStart}, ${row.trimEnd}) at ${row.frames} frames · TF.js ${backend}`,
    ),
    chart('probabilities', probabilitiesSpec(probabilities)),
  );
}

export async function tryView(runId?: string): Promise<void> {
  const { rows } = await fetchRuns({});
  const ids = rows.map((r) => String(r.id));
  if (!ids.length) return void show(h('h1', {}, 'Try it'), h('p', {}, 'No recorded runs yet: train one with ', h('code', {}, 'npx ser run'), '.'));
  const chosen = runId && ids.includes(runId) ? runId : ids.at(-1)!;
  const chosenRun: RunRecord = (await fetchRun(chosen)).record;
  const output = h('div', { 'data-role': 'output' });
  const status = h('p', { 'data-role': 'status', class: 'muted' }, 'loading the model…');
  const busy = (text: string) => status.replaceChildren(text);
  const fail = (e: unknown) => output.replaceChildren(h('p', { class: 'error', 'data-role': 'error' }, (e as Error).message));
  const model = loadRunModel(chosenRun);
  void Promise.all([model, activeBackend()]).then(([m, b]) => busy(`model of run ${m.runId} ready (TF.js ${b}); drop a file or record`), fail);

  const predict = async (source: string, features: (m: RunModel) => Promise<FeatureRow>) => {
    try {
      busy(`${source}: computing the log-Mel and the prediction…`);
      const m = await model;
      const row = await features(m);
      output.replaceChildren(resultView(source, row, classify(m, row), m.runId, await activeBackend()));
      busy('done');
    } catch (e) {
      busy('failed');
      fail(e);
    }
  };
  const onFile = (file: File) => predict(file.name, async (m) => extractFeatures(new Uint8Array(await file.arrayBuffer()), file.name, m.trim, m.mel));

  const input = h('input', {
    type: 'file',
    accept: 'audio/*,.wav,.flac,.mp3,.ogg,.opus',
    'data-role': 'file',
    onchange: (e) => {
      const file = (e.target as HTMLInputElement).files?.[0];
      if (file) void onFile(file);
    },
  });
  const drop = h('div', { class: 'drop', 'data-role': 'drop' }, 'Drop an audio file here (WAV, FLAC, MP3, OGG Vorbis, Opus) or ', input);
  drop.addEventListener('dragover', (e) => (e.preventDefault(), drop.classList.add('over')));
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) void onFile(file);
  });

  let recording: Recording | null = null;
  let timer = 0;
  const record = h('button', { 'data-role': 'record' }, 'Record');
  const stop = async () => {
    clearTimeout(timer);
    const r = recording!;
    recording = null;
    record.textContent = 'Record';
    const { samples, sampleRate } = await r.stop();
    await predict('microphone', async (m) => decodedFeatures({ samples, sampleRate, channels: 1 }, 'microphone', m.trim, m.mel));
  };
  record.addEventListener('click', async () => {
    if (recording) return stop();
    try {
      recording = await startRecording();
      record.textContent = 'Stop';
      busy(`recording (up to ${MAX_RECORDING_SECONDS} s)…`);
      timer = window.setTimeout(() => void stop(), MAX_RECORDING_SECONDS * 1000);
    } catch (e) {
      fail(e);
    }
  });

  const pick = h(
    'select',
    { 'data-role': 'run', onchange: (e) => (location.hash = `#/try/${encodeURIComponent((e.target as HTMLSelectElement).value)}`) },
    ids.map((id) => h('option', id === chosen ? { value: id, selected: '' } : { value: id }, id)),
  );
  show(
    h('h1', {}, 'Try it'),
    h(
      'p',
      {},
      'Model: ',
      pick,
      " · the audio never leaves this page: it is decoded, resampled and turned into a log-Mel here by the pipeline's own code, and classified by TF.js.",
    ),
    drop,
    h('p', {}, record, " from the microphone (resampled from the device's rate by the pipeline's resampler)"),
    status,
    output,
  );
}
