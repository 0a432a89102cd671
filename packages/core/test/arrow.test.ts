import { describe, expect, it } from 'vitest';
import { RecordBatch, Table } from 'apache-arrow';
import { TENSOR_EXTENSION, buildTable, readNumbers, readRagged, readStrings, readTensor, tableFromBytes, tableToBytes } from '../src/arrow.ts';

const tensors = { data: Float32Array.from({ length: 2 * 2 * 3 }, (_, i) => i / 7), shape: [2, 3] };
const table = () =>
  buildTable(
    2,
    {
      id: ['a', 'b'],
      n: new Int32Array([3, -1]),
      x: new Float64Array([0.5, 2]),
      t: tensors,
      audio: { data: new Float32Array([1, 2, 3]), offsets: new Int32Array([0, 2, 3]) },
    },
    { note: 'hi' },
  );

describe('Arrow tensor tables', () => {
  it('tags tensor columns as arrow.fixed_shape_tensor with their shape', () => {
    const field = tableFromBytes(tableToBytes(table())).schema.fields.find((f) => f.name === 't')!;
    expect(field.metadata.get('ARROW:extension:name')).toBe(TENSOR_EXTENSION);
    expect(JSON.parse(field.metadata.get('ARROW:extension:metadata')!)).toEqual({ shape: [2, 3] });
    expect(String(field.type)).toBe('FixedSizeList[6]<Float32>');
  });

  it('round-trips every column kind, byte-identically', () => {
    const bytes = tableToBytes(table());
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(tableToBytes(table())))).toBe(0);
    const t = tableFromBytes(bytes);
    expect(readStrings(t, 'id')).toEqual(['a', 'b']);
    expect(readNumbers(t, 'n')).toEqual([3, -1]);
    expect(readNumbers(t, 'x')).toEqual([0.5, 2]);
    expect(Array.from(readTensor(t, 't').data)).toEqual(Array.from(tensors.data));
    expect(readRagged(t, 'audio')).toEqual({ data: new Float32Array([1, 2, 3]), offsets: new Int32Array([0, 2, 3]) });
    expect(t.schema.metadata.get('note')).toBe('hi');
  });

  it('reads tables made of several record batches', () => {
    const one = table();
    const two = new Table([...one.batches, ...one.batches] as RecordBatch[]);
    expect(readTensor(two, 't').data.length).toBe(2 * tensors.data.length);
    expect(Array.from(readRagged(two, 'audio').offsets)).toEqual([0, 2, 3, 5, 6]);
  });

  it('names the column on misuse', () => {
    expect(() => readTensor(table(), 'nope')).toThrow(/no column 'nope'/);
    expect(() => readTensor(table(), 'x')).toThrow(/'x' is not a tensor column/);
    expect(() => buildTable(2, { t: { data: new Float32Array(5), shape: [2] } })).toThrow(/column 't'/);
  });
});
