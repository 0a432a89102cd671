/**
 * What each stage writes: output names and their Arrow columns. Stages read each other only
 * through these names, so this file is the data contract of the pipeline.
 */

/** RAVDESS emotion codes 01..08, in code order: label_index = code - 1. */
export const EMOTIONS = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'] as const;

/** Schema metadata key holding the JSON list of class names (label_index → name). */
export const CLASSES_METADATA = 'ser:classes';

export const OUTPUTS = {
  /** id, path (absolute), label, label_index (Int32), speaker, gender ('male'|'female'|''),
   *  intensity, statement, repetition (Int32, 0 when unknown), sha256; metadata ser:classes. */
  ingest: { recordings: 'recordings' },
  /** id, source_rate, source_channels, trim_start, trim_end (Int32, samples at the target rate),
   *  audio (List<Float32>, trimmed, at trim.sampleRate). */
  trim: { audio: 'audio' },
  /** id, frames (Int32, real frames before padding), logmel (tensor [nMels, frames]). */
  mel: { tensors: 'tensors' },
  /** id ('<source>#<kind><n>'), source (recording id), kind ('noise'|'pitch'|'stretch'),
   *  amount (Float64: SNR dB, semitones or rate), frames, logmel (tensor as in mel). */
  augment: { tensors: 'tensors' },
  /** id (tensor id), source (recording id), split ('train'|'val'|'test'), table ('mel'|'augment'),
   *  row (Int32, row in that table), label_index (Int32); metadata ser:classes. */
  split: { assignment: 'assignment' },
  /** TF.js layers model (model.json + weights), per-epoch history, input standardisation. */
  train: { model: 'model', weights: 'weights', history: 'history', standardization: 'standardization' },
  /** metrics.json, report.html and the figures. */
  eval: { metrics: 'metrics', report: 'report' },
} as const;
