/** Test helpers: a fake StageContext over in-memory tables, and RAVDESS-like recordings. */
import { createHash } from 'node:crypto';
import { buildTable, CLASSES_METADATA, EMOTIONS, tableFromBytes, tableToBytes, type StageContext, type StageManifest, type StageName } from '@ser/core';
import type { Table } from 'apache-arrow';

export interface FakeRun<P> {
  ctx: StageContext<P>;
  written: Map<string, Table>;
  bytes: Map<string, Uint8Array>;
  failures: { item: string; reason: string }[];
}

/** `tables` keys are 'stage/output'; `upstreamParams` feeds ctx.upstream(stage).params. */
export function fakeContext<P>(
  stage: StageName,
  params: P,
  tables: Record<string, Table>,
  upstreamParams: Partial<Record<StageName, unknown>> = {},
): FakeRun<P> {
  const written = new Map<string, Table>();
  const bytes = new Map<string, Uint8Array>();
  const failures: { item: string; reason: string }[] = [];
  const ctx: StageContext<P> = {
    stage,
    params,
    dataset: { path: 'unused', format: 'ravdess', actors: [] },
    root: '/nonexistent',
    upstream: (s) => ({ stage: s, params: upstreamParams[s] ?? {} }) as StageManifest,
    async readTable(s, output) {
      const t = tables[`${s}/${output}`];
      if (!t) throw new Error(`fake context: no table ${s}/${output}`);
      return tableFromBytes(tableToBytes(t)); // round-trip, as the runner reads files
    },
    inputPath: async () => {
      throw new Error('fake context: no files');
    },
    async writeTable(output, table) {
      const b = tableToBytes(table);
      written.set(output, tableFromBytes(b));
      bytes.set(output, b);
      return { file: `${output}.arrow`, sha256: createHash('sha256').update(b).digest('hex'), bytes: b.length, rows: table.numRows };
    },
    writeFile: async () => {
      throw new Error('fake context: writeFile unused');
    },
    fail: (item, reason) => void failures.push({ item, reason }),
    log: () => {},
    progress: () => ({ tick() {}, done() {} }),
    summary: {},
  };
  return { ctx, written, bytes, failures };
}

export interface FakeRecording {
  id: string;
  label_index: number;
  speaker: string;
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
            out.push({ id: `Actor_${pad(a)}/${name}.wav`, label_index: e - 1, speaker: pad(a), sha256: createHash('sha256').update(content).digest('hex') });
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
      sha256: records.map((r) => r.sha256),
    },
    { [CLASSES_METADATA]: JSON.stringify(EMOTIONS) },
  );
}
