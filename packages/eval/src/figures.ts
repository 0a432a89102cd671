/**
 * Figures as Vega-Lite specs, rendered in Node without a browser: Vega-Lite → Vega → SVG
 * (View.toSVG with renderer 'none'), then SVG → PNG with resvg.
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ConfusionMatrix } from './metrics.ts';
import { colorLut, colorize, encodePng, pngDataUrl } from './raster.ts';

export interface Figure {
  svg: string;
  png: Uint8Array;
}

/** Debian fonts-dejavu-core; resvg also scans the system fonts, this pins the sans-serif face. */
const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/**
 * Vega numbers gradient and clip-path ids with process-wide counters; renumbering them in document
 * order makes the same spec give the same bytes (stable output hashes).
 */
function canonicalIds(svg: string): string {
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  const renamed = new Map(ids.map((id, k) => [id, `${id.replace(/_?\d+$/, '')}-${k}`]));
  return svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (all, prefix: string, id: string) =>
    renamed.has(id) ? prefix + renamed.get(id) : all,
  );
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return canonicalIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Rasterise an SVG; `scale` 2 gives sharp text on high-density screens. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      loadSystemFonts: true,
      fontFiles: existsSync(DEJAVU) ? [DEJAVU] : [],
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  return resvg.render().asPng();
}

export async function renderFigure(spec: TopLevelSpec): Promise<Figure> {
  const svg = await renderSvg(spec);
  return { svg, png: svgToPng(svg) };
}

const BASE = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', background: 'white' } as const;

/**
 * Heatmap of a confusion matrix (true classes as rows), with the value in each cell.
 * `normalize`: divide each row by its support (rows with no samples stay 0), i.e. per-class recall on the diagonal.
 */
export function confusionMatrixSpec(
  cm: ConfusionMatrix,
  classes: readonly string[],
  { normalize = false, title = 'Confusion matrix' }: { normalize?: boolean; title?: string } = {},
): TopLevelSpec {
  const values = cm.flatMap((row, t) => {
    const support = row.reduce((s, x) => s + x, 0);
    return row.map((count, p) => ({
      true: classes[t],
      predicted: classes[p],
      count,
      value: normalize ? (support === 0 ? 0 : count / support) : count,
    }));
  });
  const max = Math.max(1e-9, ...values.map((v) => v.value));
  const format = normalize ? '.2f' : 'd';
  const axis = { type: 'ordinal' as const, sort: [...classes] };
  return {
    ...BASE,
    title: `${title} (${normalize ? 'row-normalised' : 'counts'})`,
    data: { values },
    width: 36 * classes.length,
    height: 36 * classes.length,
    encoding: {
      x: { field: 'predicted', ...axis, title: 'predicted', axis: { labelAngle: -40 } },
      y: { field: 'true', ...axis, title: 'true' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'value',
            type: 'quantitative',
            scale: { scheme: 'blues', domain: [0, max] },
            title: normalize ? 'share of row' : 'count',
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'value', type: 'quantitative', format },
          color: { condition: { test: `datum.value > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

/** One epoch of the train stage's `history` output (@ser/model `History.epochs`). */
export interface EpochScores {
  epoch: number;
  loss: number;
  accuracy: number;
  /** null without validation rows (the model writes NaN, which JSON stores as null). */
  valLoss: number | null;
  valAccuracy: number | null;
}

/** The parts of the train stage's `history` output that the figures use. */
export interface TrainingHistory {
  epochs: EpochScores[];
  /** 1-based epoch whose weights were kept (lowest validation loss; else the last). */
  bestEpoch: number;
  backend: string;
}

/** Validate a parsed history JSON; `source` names the file in errors. */
export function parseHistory(json: unknown, source: string): TrainingHistory {
  const h = (json ?? {}) as Record<string, unknown>;
  if (!Array.isArray(h.epochs) || h.epochs.length === 0) throw new Error(`${source}: 'epochs' must be a non-empty array`);
  const value = (e: Record<string, unknown>, key: string, nullable: boolean): number | null => {
    const v = e[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (nullable && (v === null || Number.isNaN(v))) return null;
    throw new Error(`${source}: epoch ${String(e.epoch)}: '${key}' must be a number, got ${JSON.stringify(v)}`);
  };
  const epochs = (h.epochs as Record<string, unknown>[]).map((e, i) => {
    if (e?.epoch !== i + 1) throw new Error(`${source}: epochs[${i}].epoch must be ${i + 1}, got ${JSON.stringify(e?.epoch)}`);
    return {
      epoch: i + 1,
      loss: value(e, 'loss', false)!,
      accuracy: value(e, 'accuracy', false)!,
      valLoss: value(e, 'valLoss', true),
      valAccuracy: value(e, 'valAccuracy', true),
    };
  });
  const bestEpoch = h.bestEpoch;
  if (typeof bestEpoch !== 'number' || !Number.isInteger(bestEpoch) || bestEpoch < 1 || bestEpoch > epochs.length)
    throw new Error(`${source}: 'bestEpoch' must be an epoch number in 1..${epochs.length}, got ${JSON.stringify(bestEpoch)}`);
  return { epochs, bestEpoch, backend: typeof h.backend === 'string' ? h.backend : '' };
}

/** Loss and accuracy per epoch, train and validation, with the kept (best) epoch marked. */
export function learningCurvesSpec(history: TrainingHistory, title = 'Learning curves'): TopLevelSpec {
  const values = history.epochs.flatMap((e) =>
    [
      { metric: 'loss', split: 'train', value: e.loss },
      { metric: 'loss', split: 'validation', value: e.valLoss },
      { metric: 'accuracy', split: 'train', value: e.accuracy },
      { metric: 'accuracy', split: 'validation', value: e.valAccuracy },
    ]
      .filter((r) => r.value !== null)
      .map((r) => ({ epoch: e.epoch, ...r })),
  );
  const panel = (metric: string) => ({
    title: metric,
    width: 300,
    height: 200,
    transform: [{ filter: `datum.metric === '${metric}'` }],
    layer: [
      {
        mark: { type: 'line' as const, point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative' as const, axis: { tickMinStep: 1 }, scale: { domainMin: 1 } },
          y: { field: 'value', type: 'quantitative' as const, title: metric, scale: { zero: false } },
          color: { field: 'split', type: 'nominal' as const, scale: { domain: ['train', 'validation'] }, title: null },
        },
      },
      {
        data: { values: [{ epoch: history.bestEpoch, label: `best epoch ${history.bestEpoch}` }] },
        layer: [
          { mark: { type: 'rule' as const, strokeDash: [4, 3], color: 'gray' }, encoding: { x: { field: 'epoch', type: 'quantitative' as const } } },
          {
            mark: { type: 'text' as const, align: 'left' as const, dx: 3, y: 0, baseline: 'top' as const, color: 'gray' },
            encoding: { x: { field: 'epoch', type: 'quantitative' as const }, text: { field: 'label' } },
          },
        ],
      },
    ],
  });
  return {
    ...BASE,
    title: history.backend ? `${title} (backend ${history.backend})` : title,
    data: { values },
    hconcat: [panel('loss'), panel('accuracy')],
  } as TopLevelSpec;
}

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
  if (logmel.length !== labels.length * cell)
    throw new Error(`logmel has ${logmel.length} floats, expected ${labels.length} clips of [${shape}]`);
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
      for (let band = 0; band < nMels; band++)
        for (let f = 0; f < used; f++) sum[band] += logmel[m * cell + band * frames + f];
      count += used;
    }
    return Array.from(sum, (total, band) => ({ band, class: c.name, dB: total / Math.max(1, count) }));
  };
  return {
    ...BASE,
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
