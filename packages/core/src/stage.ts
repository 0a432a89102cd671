/**
 * The contract between the stage runner (run-stage.ts: I/O, hashing, manifests) and a stage
 * package (plain computation). A stage package exports `stages: StageDefinition[]` from `src/stages.ts`.
 */
import type { Table } from 'apache-arrow';
import type { DatasetParams, StageName } from './params.ts';

/** One file a stage wrote, named by its content hash. */
export interface OutputRecord {
  file: string;
  sha256: string;
  bytes: number;
  rows?: number;
}

/** An item (file, clip) a stage excluded, and why; the rest of the run goes on. */
export interface Failure {
  item: string;
  reason: string;
}

/** `data/<stage>/manifest.json`: what a stage ran on, what it wrote, and why it ran. */
export interface StageManifest {
  stage: StageName;
  /** Resolved params (defaults filled, overrides applied). */
  params: unknown;
  /** Overrides (`--set stage.key=value`) that applied to this stage. */
  overrides: Record<string, unknown>;
  /** sha256 over the source files of the stage's package and the workspace packages it imports. */
  codeHash: string;
  /** Upstream stage → hash of its outputs; `dataset` → fingerprint of the raw data (ingest). */
  inputs: Record<string, string>;
  outputs: Record<string, OutputRecord>;
  /** sha256 over the output hashes: what downstream stages key on. */
  outputsHash: string;
  failures: Failure[];
  /** Stage-specific figures (class counts, skipped files, metrics...). */
  summary: Record<string, unknown>;
  /** Why it ran: what differs from the previous manifest (or "no previous run"). */
  reasons: string[];
  startedAt: string;
  wallMs: number;
}

export interface Progress {
  tick(n?: number): void;
  done(): void;
}

export interface StageContext<P> {
  stage: StageName;
  params: P;
  dataset: DatasetParams;
  /** Workspace root (absolute). */
  root: string;
  /** Manifest of a declared upstream stage. */
  upstream(stage: StageName): StageManifest;
  /** Read an upstream Arrow output; its content hash is verified first. */
  readTable(stage: StageName, output: string): Promise<Table>;
  /** Absolute path of an upstream output file (hash verified). */
  inputPath(stage: StageName, output: string): Promise<string>;
  /** Write an Arrow output named by its content hash. */
  writeTable(output: string, table: Table): Promise<OutputRecord>;
  /** Write a non-Arrow output (model weights, JSON, figures). `name` null = name it by content hash. */
  writeFile(output: string, bytes: Uint8Array, name?: string | null): Promise<OutputRecord>;
  /** Exclude one item from the run, with the reason (listed in the manifest, warned once). */
  fail(item: string, reason: string): void;
  log(message: string): void;
  progress(label: string, total: number): Progress;
  /** Stage-specific figures to put in the manifest's summary. */
  summary: Record<string, unknown>;
}

export interface StageDefinition<P = any> {
  name: StageName;
  run(ctx: StageContext<P>): Promise<void>;
  /** For stages that read the raw dataset: a cheap fingerprint of it, part of the stage's cache key. */
  datasetFingerprint?(dataset: DatasetParams, root: string): Promise<string>;
}
