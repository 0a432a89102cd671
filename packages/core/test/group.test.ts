import { describe, expect, it } from 'vitest';
import { indicesByKey } from '../src/group.ts';

describe('indicesByKey', () => {
  it('groups indices by key, groups in order of first appearance, indices ascending', () => {
    expect([...indicesByKey(['b', 'a', 'b', 'c', 'a']).entries()]).toEqual([
      ['b', [0, 2]],
      ['a', [1, 4]],
      ['c', [3]],
    ]);
    expect([...indicesByKey(Int32Array.of(7, 7, 1)).values()]).toEqual([[0, 1], [2]]);
    expect(indicesByKey([]).size).toBe(0);
  });
});
