/** How values read in the pages: the same digits as `ser exp show` (4 for metrics, counts whole). */

export const metricText = (metric: string, value: unknown): string =>
  typeof value === 'number' ? value.toFixed(metric.endsWith('count') ? 0 : 4) : value === null || value === undefined ? '–' : valueText(value);

export const valueText = (value: unknown): string => (value === null || value === undefined ? '–' : typeof value === 'string' ? value : JSON.stringify(value));

export const intervalText = ([low, high]: [number, number]) => `[${low.toFixed(3)}, ${high.toFixed(3)}]`;

export const signed = (x: number | null, digits = 4) => (x === null ? '–' : `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`);

/** `2026-05-01T10:20:30Z` as `2026-05-01 10:20`. */
export const timeText = (iso: string) => iso.slice(0, 16).replace('T', ' ');
