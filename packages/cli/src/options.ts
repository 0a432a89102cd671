/** Options several commands share. */
import { parseOverride } from '@ser/core/pipeline';

export const setOption = {
  type: 'string',
  array: true,
  default: [] as string[],
  describe: 'override a param: stage.key=value (repeatable)',
} as const;

export const noWaitOption = {
  type: 'boolean',
  default: false,
  describe: 'if another run holds the workspace lock, exit 1 at once instead of waiting',
} as const;

export const backendChoices = ['auto', 'node', 'wasm', 'cpu'] as const;

/** `--set a.b=1 --set c.d=x` → { 'a.b': 1, 'c.d': 'x' }. */
export const overridesOf = (set: string[]) => Object.fromEntries(set.map(parseOverride));
