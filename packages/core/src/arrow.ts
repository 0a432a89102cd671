/**
 * Arrow tables of tensors, as every stage stores them.
 * Tensor columns are FixedSizeList<Float32> tagged with the canonical `arrow.fixed_shape_tensor`
 * extension (https://arrow.apache.org/docs/format/CanonicalExtensions.html#fixed-shape-tensor),
 * so pyarrow and arrow-rs read them back as tensors; variable-length audio is List<Float32>.
 */
import {
  Field,
  Float32,
  Float64,
  FixedSizeList,
  Int32,
  List,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  makeData,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  type Data,
} from 'apache-arrow';

export const TENSOR_EXTENSION = 'arrow.fixed_shape_tensor';

/** A row-major batch of equally shaped tensors: `data.length === rows * prod(shape)`. */
export interface TensorBatch {
  data: Float32Array;
  shape: number[];
}

/** Variable-length float rows (e.g. audio): row i is `data[offsets[i]..offsets[i+1])`. */
export interface RaggedBatch {
  data: Float32Array;
  offsets: Int32Array;
}

/** Concatenate variable-length rows into one RaggedBatch (values + offsets). */
export function toRagged(rows: Float32Array[]): RaggedBatch {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (offsets[i + 1] = offsets[i] + r.length));
  const data = new Float32Array(offsets[rows.length]);
  rows.forEach((r, i) => data.set(r, offsets[i]));
  return { data, offsets };
}

export type ColumnValues = TensorBatch | RaggedBatch | string[] | Int32Array | Float64Array;

const isTensor = (c: ColumnValues): c is TensorBatch => 'shape' in c;
const isRagged = (c: ColumnValues): c is RaggedBatch => 'offsets' in c && !Array.isArray(c);
const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function columnData(name: string, values: ColumnValues, rows: number): { field: Field; data: Data } {
  if (isTensor(values)) {
    const size = product(values.shape);
    if (values.data.length !== rows * size) throw new Error(`column '${name}': ${values.data.length} floats is not ${rows} rows of shape [${values.shape}]`);
    const type = new FixedSizeList(size, new Field('item', new Float32(), false));
    const child = makeData({ type: new Float32(), length: rows * size, nullCount: 0, data: values.data });
    const meta = new Map([
      ['ARROW:extension:name', TENSOR_EXTENSION],
      ['ARROW:extension:metadata', JSON.stringify({ shape: values.shape })],
    ]);
    return { field: new Field(name, type, false, meta), data: makeData({ type, length: rows, nullCount: 0, child }) };
  }
  if (isRagged(values)) {
    if (values.offsets.length !== rows + 1) throw new Error(`column '${name}': needs ${rows + 1} offsets`);
    const type = new List(new Field('item', new Float32(), false));
    const child = makeData({ type: new Float32(), length: values.data.length, nullCount: 0, data: values.data });
    return {
      field: new Field(name, type, false),
      data: makeData({ type, length: rows, nullCount: 0, valueOffsets: values.offsets, child }),
    };
  }
  if (values.length !== rows) throw new Error(`column '${name}': ${values.length} values for ${rows} rows`);
  const data: Data =
    values instanceof Int32Array
      ? makeData({ type: new Int32(), length: rows, nullCount: 0, data: values })
      : values instanceof Float64Array
        ? makeData({ type: new Float64(), length: rows, nullCount: 0, data: values })
        : vectorFromArray(values, new Utf8()).data[0];
  return { field: new Field(name, data.type, false), data };
}

/** One record batch from named columns; all columns must have `rows` rows. */
export function buildTable(rows: number, columns: Record<string, ColumnValues>, metadata: Record<string, string> = {}): Table {
  const parts = Object.entries(columns).map(([name, values]) => columnData(name, values, rows));
  const schema = new Schema(
    parts.map((p) => p.field),
    new Map(Object.entries(metadata)),
  );
  const struct = makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children: parts.map((p) => p.data) });
  return new Table([new RecordBatch(schema, struct)]);
}

/** Arrow IPC file format bytes (deterministic for the same table). */
export function tableToBytes(table: Table): Uint8Array {
  return tableToIPC(table, 'file');
}

export function tableFromBytes(bytes: Uint8Array): Table {
  return tableFromIPC(bytes);
}

function requireColumn(table: Table, name: string) {
  const index = table.schema.fields.findIndex((f) => f.name === name);
  if (index < 0) throw new Error(`no column '${name}' (columns: ${table.schema.fields.map((f) => f.name).join(', ')})`);
  return { field: table.schema.fields[index], vector: table.getChildAt(index)! };
}

/** Concatenate the float children of a (possibly multi-batch) list column. */
function childFloats(chunks: readonly Data[], total: number): Float32Array {
  if (chunks.length === 1) {
    const c = chunks[0].children[0];
    return (c.values as Float32Array).subarray(c.offset, c.offset + c.length);
  }
  const out = new Float32Array(total);
  let at = 0;
  for (const chunk of chunks) {
    const c = chunk.children[0];
    out.set((c.values as Float32Array).subarray(c.offset, c.offset + c.length), at);
    at += c.length;
  }
  return out;
}

/** A tensor column as one row-major Float32Array (zero-copy for single-batch tables). */
export function readTensor(table: Table, name: string): TensorBatch {
  const { field, vector } = requireColumn(table, name);
  if (field.metadata.get('ARROW:extension:name') !== TENSOR_EXTENSION) throw new Error(`column '${name}' is not a tensor column (${TENSOR_EXTENSION})`);
  const { shape } = JSON.parse(field.metadata.get('ARROW:extension:metadata')!) as { shape: number[] };
  return { data: childFloats(vector.data, table.numRows * product(shape)), shape };
}

/** A List<Float32> column as values plus row offsets. */
export function readRagged(table: Table, name: string): RaggedBatch {
  const { vector } = requireColumn(table, name);
  const offsets = new Int32Array(table.numRows + 1);
  let row = 0;
  let base = 0;
  for (const chunk of vector.data) {
    const o = chunk.valueOffsets as Int32Array;
    for (let i = 0; i < chunk.length; i++) offsets[row + i + 1] = base + o[chunk.offset + i + 1] - o[chunk.offset];
    row += chunk.length;
    base = offsets[row];
  }
  return { data: childFloats(vector.data, base), offsets };
}

export function readStrings(table: Table, name: string): string[] {
  return Array.from(requireColumn(table, name).vector, (v) => String(v));
}

export function readNumbers(table: Table, name: string): number[] {
  return Array.from(requireColumn(table, name).vector as Iterable<number>, Number);
}

/** Schema metadata key holding the JSON list of class names (label_index → name) of a labelled table. */
export const CLASSES_METADATA = 'ser:classes';

/** The class names a labelled table carries in its schema metadata; `where` names the table in the error. */
export function readClasses(table: Table, where: string): string[] {
  const raw = table.schema.metadata.get(CLASSES_METADATA);
  if (!raw) throw new Error(`${where}: no '${CLASSES_METADATA}' schema metadata (rerun the stage that wrote it)`);
  return JSON.parse(raw) as string[];
}
