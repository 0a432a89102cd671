/** Test helpers: RAVDESS-like recordings. */
import { createHash } from 'node:crypto';
import { buildTable, CLASSES_METADATA } from '@ser/core';
import { EMOTIONS } from '@ser/ingest';
import type { Table } from 'apache-arrow';

export interface FakeRecording {
  id: string;
  label_index: number;
  speaker: string;
  gender?: string;
  sha256: string;
}

/** RAVDESS speech layout: 60 recordings per actor; Actor_07's known byte-identical pair shares a hash. */
export function ravdessRecordings(actors = 20): FakeRecording[] {
  const out: FakeRecording[] = [];
  const pad = (n: number) => String(n).padStart(2, '0');
  for (let a = 1; a <= actors; a++)
    for (let e = 1; e <= 8; e++)
      for (let i = 1; i <= (e === 1 ? 1 : 2); i++)
        for (let s = 1; s <= 2; s++)
          for (let r = 1; r <= 2; r++) {
            const name = `03-01-${pad(e)}-${pad(i)}-${pad(s)}-${pad(r)}-${pad(a)}`;
            const content = name === '03-01-03-01-02-02-07' ? '03-01-03-01-02-01-07' : name;
            out.push({
              id: `Actor_${pad(a)}/${name}.wav`,
              label_index: e - 1,
              speaker: pad(a),
              gender: a % 2 ? 'male' : 'female',
              sha256: createHash('sha256').update(content).digest('hex'),
            });
          }
  return out;
}

export function recordingsTable(records: FakeRecording[]): Table {
  return buildTable(
    records.length,
    {
      id: records.map((r) => r.id),
      label_index: Int32Array.from(records.map((r) => r.label_index)),
      speaker: records.map((r) => r.speaker),
      gender: records.map((r) => r.gender ?? ''),
      sha256: records.map((r) => r.sha256),
    },
    { [CLASSES_METADATA]: JSON.stringify(EMOTIONS) },
  );
}
