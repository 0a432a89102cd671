/** Grouping rows by a key column, for tables whose rows several share (a recording's variants, a speaker's tensors). */

/** The indices of `keys` by key: groups in order of first appearance, indices ascending within each. */
export function indicesByKey<K>(keys: ArrayLike<K>): Map<K, number[]> {
  const groups = new Map<K, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const list = groups.get(keys[i]);
    if (list) list.push(i);
    else groups.set(keys[i], [i]);
  }
  return groups;
}
