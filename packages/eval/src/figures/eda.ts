/**
 * The EDA figure of `ser eda`: log-Mel spectrograms of two emotions side by side, as raster images
 * (raster.ts) on Vega-Lite axes.
 */
import type { TopLevelSpec } from 'vega-lite';
import { colorLut, colorize, encodePng, pngDataUrl } from './raster.ts';
import { SPEC_BASE } from './spec-base.ts';

interface ImagePanel {
  png: Uint8Array;
  /** Value range the image spans along x (columns) and y (rows, bottom to top). */
  xDomain: [number, number];
  yDomain: [number, number];
  width: number;
  height: number;
  title: string | { text: string; subtitle?: string };
  /** Axis titles; null hides the axis. */
  xTitle: string | null;
  yTitle: string | null;
  yOrient?: 'left' | 'right';
}

/** A raster image placed on quantitative axes (Vega-Lite image mark spanning x..x2, y..y2). */
function imagePanel(p: ImagePanel) {
  const axis = (domain: [number, number], title: string | null, orient?: 'left' | 'right') => ({
    type: 'quantitative' as const,
    scale: { domain, nice: false, zero: false },
    axis: title === null ? null : { title, ...(orient ? { orient } : {}) },
  });
  return {
    title: p.title,
    width: p.width,
    height: p.height,
    data: { values: [{ x: p.xDomain[0], x2: p.xDomain[1], y: p.yDomain[0], y2: p.yDomain[1] }] },
    mark: { type: 'image' as const, aspect: false },
    encoding: {
      x: { field: 'x', ...axis(p.xDomain, p.xTitle) },
      x2: { field: 'x2' },
      y: { field: 'y', ...axis(p.yDomain, p.yTitle, p.yOrient) },
      y2: { field: 'y2' },
      url: { value: pngDataUrl(p.png) },
    },
  };
}

/** A vertical colour bar for values lo..hi in a Vega scheme, with its axis on the right. */
function colorbarPanel(lo: number, hi: number, schemeName: string, title: string, height: number) {
  const ramp = Float32Array.from({ length: 256 }, (_, i) => lo + ((hi - lo) * i) / 255);
  return imagePanel({
    png: encodePng(colorize(ramp, 256, 1, lo, hi, colorLut(schemeName)), 1, 256),
    xDomain: [0, 1],
    yDomain: [lo, hi],
    width: 12,
    height,
    title,
    xTitle: null,
    yTitle: '',
    yOrient: 'right',
  });
}

function heatmap(values: Float32Array, shape: [number, number], lo: number, hi: number, schemeName: string, title: ImagePanel['title'], size: number) {
  const [rows, cols] = shape;
  return imagePanel({
    png: encodePng(colorize(values, rows, cols, lo, hi, colorLut(schemeName)), cols, rows),
    xDomain: [0, cols],
    yDomain: [0, rows],
    width: size,
    height: size,
    title,
    xTitle: 'frame',
    yTitle: 'mel band',
  });
}

function classMean(logmel: Float32Array, size: number, members: number[]): Float32Array {
  const mean = new Float32Array(size);
  for (const m of members) for (let k = 0; k < size; k++) mean[k] += logmel[m * size + k];
  for (let k = 0; k < size; k++) mean[k] /= members.length;
  return mean;
}

/** The member closest (Euclidean) to the class mean: a typical clip rather than an arbitrary one. */
function typicalMember(logmel: Float32Array, size: number, members: number[], mean: Float32Array): number {
  let best = members[0];
  let bestDistance = Infinity;
  for (const m of members) {
    let d = 0;
    for (let k = 0; k < size; k++) d += (logmel[m * size + k] - mean[k]) ** 2;
    if (d < bestDistance) [best, bestDistance] = [m, d];
  }
  return best;
}

export interface MelComparisonOptions {
  classA?: string;
  classB?: string;
  /** Clip ids (row order) to name the examples in the panel titles. */
  ids?: readonly string[];
  /** Real (unpadded) frames per clip, the mel stage's `frames` column: the mean spectrum then
   *  leaves out padding, which would otherwise pull shorter clips' classes down. */
  frames?: ArrayLike<number>;
  /** Panel side in pixels. */
  size?: number;
}

/**
 * EDA figure: log-Mel spectrograms of two emotions (default angry vs sad) — a typical clip of each,
 * the per-class means, the mean difference (A − B) and the mean spectrum per mel band.
 * `logmel` holds `labels.length` row-major [nMels, frames] tensors (mel stage output);
 * `labels[i]` indexes `classes`.
 */
export function melComparisonSpec(
  logmel: Float32Array,
  shape: [number, number],
  labels: ArrayLike<number>,
  classes: readonly string[],
  { classA = 'angry', classB = 'sad', ids, frames: realFrames, size = 160 }: MelComparisonOptions = {},
): TopLevelSpec {
  const [nMels, frames] = shape;
  const cell = nMels * frames;
  if (logmel.length !== labels.length * cell) throw new Error(`logmel has ${logmel.length} floats, expected ${labels.length} clips of [${shape}]`);
  const pick = (name: string) => {
    const index = classes.indexOf(name);
    if (index < 0) throw new Error(`class '${name}' is not one of: ${classes.join(', ')}`);
    const members = Array.from(labels, (l, i) => (l === index ? i : -1)).filter((i) => i >= 0);
    if (members.length === 0) throw new Error(`no clip of class '${name}' among ${labels.length} clips`);
    const mean = classMean(logmel, cell, members);
    const example = typicalMember(logmel, cell, members, mean);
    return { name, members, mean, example, exampleData: logmel.subarray(example * cell, (example + 1) * cell) };
  };
  const a = pick(classA);
  const b = pick(classB);
  const shown = [a.exampleData, b.exampleData, a.mean, b.mean];
  const lo = Math.min(...shown.map((x) => x.reduce((m, v) => Math.min(m, v), Infinity)));
  const hi = Math.max(...shown.map((x) => x.reduce((m, v) => Math.max(m, v), -Infinity)));
  const difference = a.mean.map((v, k) => v - b.mean[k]);
  const span = Math.max(1e-6, ...Array.from(difference, Math.abs));
  const exampleTitle = (c: typeof a) => ({ text: `${c.name}: typical clip`, ...(ids ? { subtitle: ids[c.example] } : {}) });
  const meanTitle = (c: typeof a) => `${c.name}: mean of ${c.members.length}`;
  const spectrum = (c: typeof a) => {
    const sum = new Float64Array(nMels);
    let count = 0;
    for (const m of c.members) {
      const used = Math.min(frames, realFrames?.[m] ?? frames);
      for (let band = 0; band < nMels; band++) for (let f = 0; f < used; f++) sum[band] += logmel[m * cell + band * frames + f];
      count += used;
    }
    return Array.from(sum, (total, band) => ({ band, class: c.name, dB: total / Math.max(1, count) }));
  };
  return {
    ...SPEC_BASE,
    title: `Log-Mel spectrograms: ${classA} vs ${classB}`,
    vconcat: [
      {
        hconcat: [
          heatmap(a.exampleData, shape, lo, hi, 'viridis', exampleTitle(a), size),
          heatmap(b.exampleData, shape, lo, hi, 'viridis', exampleTitle(b), size),
          heatmap(a.mean, shape, lo, hi, 'viridis', meanTitle(a), size),
          heatmap(b.mean, shape, lo, hi, 'viridis', meanTitle(b), size),
          colorbarPanel(lo, hi, 'viridis', 'dB', size),
        ],
      },
      {
        // The spectrum chart's class legend stays inside that chart instead of the row's edge.
        resolve: { legend: { color: 'independent' }, scale: { color: 'independent' } },
        hconcat: [
          heatmap(difference, shape, -span, span, 'blueorange', `mean ${classA} − mean ${classB}`, size),
          colorbarPanel(-span, span, 'blueorange', 'dB', size),
          {
            title: realFrames ? 'mean spectrum (speech frames)' : 'mean spectrum (all frames)',
            width: 2 * size,
            height: size,
            data: { values: [...spectrum(a), ...spectrum(b)] },
            mark: 'line',
            encoding: {
              x: { field: 'band', type: 'quantitative', title: 'mel band', scale: { domain: [0, nMels - 1], nice: false } },
              y: { field: 'dB', type: 'quantitative', scale: { zero: false } },
              color: { field: 'class', type: 'nominal', title: null, legend: { orient: 'top-right' } },
            },
          },
        ],
      },
    ],
  } as TopLevelSpec;
}
