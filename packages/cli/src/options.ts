/** Options several commands share. */
import { parseOverride } from '@ser/core/pipeline';

export const setOption = {
  type: 'string',
  array: true,
  default: [] as string[],
  describe: 'override a param: stage.key=value (repeatable)',
} as const;

/** `--no-wait`: if another run holds the workspace lock, exit 1 at once instead of waiting. */
export const waitOption = {
  type: 'boolean',
  default: true,
  describe: 'wait while another run holds the workspace lock (--no-wait: exit 1 at once, naming it)',
} as const;

export const backendChoices = ['auto', 'node', 'wasm', 'cpu'] as const;

/** `--set a.b=1 --set c.d=x` → { 'a.b': 1, 'c.d': 'x' }. */
export const overridesOf = (set: string[]) => Object.fromEntries(set.map(parseOverride));
