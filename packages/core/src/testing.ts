/** An in-memory StageContext for testing a stage's computation without the runner or files. */
import type { Table } from 'apache-arrow';
import { tableFromBytes, tableToBytes } from './arrow.ts';
import { sha256 } from './hash.ts';
import type { DatasetParams } from './dataset.ts';
import type { Failure, FoldOf, OutputRecord, StageContext, StageManifest } from './stage.ts';

export interface MemoryStage<P> {
  ctx: StageContext<P>;
  /** Outputs the stage wrote: tables (read back from their IPC bytes) and raw files. */
  tables: Record<string, Table>;
  files: Record<string, Uint8Array>;
  failures: Failure[];
  logs: string[];
}

export function memoryStageContext<P>({
  stage,
  params,
  dataset = { path: 'data/raw/ravdess', format: 'ravdess', actors: [] },
  root = process.cwd(),
  upstream = {},
  fold = null,
  folds = [],
}: {
  stage: string;
  params: P;
  fold?: FoldOf | null;
  folds?: string[];
  dataset?: DatasetParams;
  root?: string;
  /** Upstream tables by 'stage/output', and upstream manifests' params by stage. */
  upstream?: Record<string, { tables?: Record<string, Table>; params?: unknown; paths?: Record<string, string> }>;
}): MemoryStage<P> {
  const out: MemoryStage<P> = { tables: {}, files: {}, failures: [], logs: [], ctx: undefined as never };
  const from = (dep: string) => {
    const u = upstream[dep];
    if (!u) throw new Error(`test context: no upstream '${dep}'`);
    return u;
  };
  const record = (bytes: Uint8Array, file: string): OutputRecord => ({ file, sha256: sha256(bytes), bytes: bytes.byteLength });
  out.ctx = {
    stage,
    params,
    fold,
    folds,
    dataset,
    root,
    deps: Object.keys(upstream),
    upstream: (dep) =>
      ({ stage: dep, params: from(dep).params ?? {}, codeHash: '', packages: {}, inputs: {}, outputs: {}, outputsHash: dep }) as unknown as StageManifest,
    readTable: async (dep, output) => from(dep).tables?.[output] ?? Promise.reject(new Error(`test context: no table ${dep}/${output}`)),
    inputPath: async (dep, output) => from(dep).paths?.[output] ?? Promise.reject(new Error(`test context: no path ${dep}/${output}`)),
    async writeTable(output, table) {
      const bytes = tableToBytes(table);
      out.tables[output] = tableFromBytes(bytes);
      out.files[output] = bytes;
      return { ...record(bytes, `${sha256(bytes)}.arrow`), rows: table.numRows };
    },
    async writeFile(output, bytes, name) {
      out.files[output] = bytes;
      return record(bytes, name ?? `${sha256(bytes)}.bin`);
    },
    fail: (item, reason) => void out.failures.push({ item, reason }),
    log: (m) => void out.logs.push(m),
    progress: () => ({ tick() {}, done() {} }),
    summary: {},
  };
  return out;
}
