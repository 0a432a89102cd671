import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { confusionMatrixSpec, learningCurvesSpec, melComparisonSpec, parseHistory, renderFigure, svgToPng } from '../src/figures/index.ts';
import { colorLut, colorize, encodePng } from '../src/figures/raster.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(png: Uint8Array): { width: number; height: number } {
  expect(Array.from(png.subarray(0, 8))).toEqual(PNG_SIGNATURE);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  expect(m, 'svg root with width and height').not.toBeNull();
  return { width: Number(m![1]), height: Number(m![2]) };
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

/** The PNG is the SVG rasterised at scale 2 (±1 px rounding) and not trivially small. */
function expectValidFigure(svg: string, png: Uint8Array, minPngBytes: number) {
  const s = svgSize(svg);
  const p = pngSize(png);
  expect(Math.abs(p.width - 2 * s.width)).toBeLessThanOrEqual(1);
  expect(Math.abs(p.height - 2 * s.height)).toBeLessThanOrEqual(1);
  expect(png.length).toBeGreaterThan(minPngBytes);
}

const classes = ['neutral', 'calm', 'happy'];
const cm = [
  [5, 1, 0],
  [2, 3, 1],
  [0, 0, 4],
];

describe('confusion matrix figure', () => {
  it('draws one cell and one label per class pair, in counts', async () => {
    const { svg, png } = await renderFigure(confusionMatrixSpec(cm, classes, { title: 'CM test' }));
    expect(count(svg, 'aria-roledescription="rect mark"')).toBe(9);
    expect(count(svg, 'aria-roledescription="text mark"')).toBe(9);
    expect(svg).toContain('CM test (counts)');
    for (const c of classes) expect(svg).toContain(`>${c}</text>`);
    expect(svg).toMatch(/>5<\/text>/);
    expectValidFigure(svg, png, 5_000);
  });

  it('gives the same bytes for the same spec, with every #id reference defined', async () => {
    const [first, second] = [await renderFigure(confusionMatrixSpec(cm, classes)), await renderFigure(confusionMatrixSpec(cm, classes))];
    expect(second.svg).toBe(first.svg);
    expect(Buffer.from(second.png).equals(Buffer.from(first.png))).toBe(true);
    const defined = new Set([...first.svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
    const referenced = [...first.svg.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(referenced.length).toBeGreaterThan(0); // the legend's colour gradient
    for (const id of referenced) expect(defined.has(id), id).toBe(true);
  });

  it('row-normalises (an empty row stays 0)', async () => {
    const withEmptyRow = [
      [5, 1, 0, 0],
      [2, 3, 1, 0],
      [0, 0, 4, 0],
      [0, 0, 0, 0],
    ];
    const { svg } = await renderFigure(confusionMatrixSpec(withEmptyRow, [...classes, 'sad'], { normalize: true }));
    expect(svg).toContain('row-normalised');
    expect(svg).toContain('>0.83</text>'); // 5/6
    expect(svg).toContain('>0.17</text>'); // 1/6
    expect(svg).toContain('>1.00</text>'); // 4/4
    expect(svg).not.toContain('NaN');
  });
});

describe('learning curves', () => {
  const scores = [
    [2, 0.2, 2.1, 0.2],
    [1.5, 0.4, 1.4, 0.45],
    [1.2, 0.5, 1.6, 0.4],
  ];
  const raw = {
    epochs: scores.map(([loss, accuracy, valLoss, valAccuracy], i) => ({ epoch: i + 1, loss, accuracy, valLoss, valAccuracy, seconds: 1 })),
    bestEpoch: 2,
    stoppedEarly: false,
    backend: 'wasm',
  };

  it('plots loss and accuracy for train and validation with the kept epoch (whose weights the model has) marked', async () => {
    const { svg, png } = await renderFigure(learningCurvesSpec(parseHistory(raw, 'history.json')));
    expect(count(svg, 'aria-roledescription="line mark"')).toBe(4);
    expect(count(svg, 'aria-roledescription="rule mark"')).toBe(2);
    expect(count(svg, '>kept epoch 2</text>')).toBe(2);
    expect(svg).toContain('backend wasm');
    expectValidFigure(svg, png, 10_000);
  });

  it('draws train curves only when validation was absent (NaN, stored as null)', async () => {
    const noVal = { ...raw, epochs: raw.epochs.map((e) => ({ ...e, valLoss: null, valAccuracy: Number.NaN })) };
    const { svg } = await renderFigure(learningCurvesSpec(parseHistory(noVal, 'history.json')));
    expect(count(svg, 'aria-roledescription="line mark"')).toBe(2);
  });

  it('rejects malformed histories, naming the file and key', () => {
    expect(() => parseHistory({ ...raw, epochs: [] }, 'h.json')).toThrow(/h.json: 'epochs' must be a non-empty array/);
    expect(() => parseHistory({ ...raw, bestEpoch: 0 }, 'h.json')).toThrow(/'bestEpoch' must be an epoch number in 1..3, got 0/);
    const badLoss = { ...raw, epochs: raw.epochs.map((e, i) => (i === 1 ? { ...e, loss: null } : e)) };
    expect(() => parseHistory(badLoss, 'h.json')).toThrow(/h.json: epoch 2: 'loss' must be a number, got null/);
    const gap = { ...raw, epochs: [raw.epochs[0], raw.epochs[2]] };
    expect(() => parseHistory(gap, 'h.json')).toThrow(/epochs\[1\].epoch must be 2, got 3/);
  });
});

describe('mel comparison (EDA) figure', () => {
  const shape: [number, number] = [16, 8];
  const size = shape[0] * shape[1];
  const emotions = ['neutral', 'calm', 'happy', 'sad', 'angry'];
  // Clips 0-2 angry, 3-4 sad, 5 neutral. Each clip is a constant level; angry levels -20,-30,-60:
  // the mean is -36.7, so the typical angry clip is 'a2' (-30); sad -70,-50: tie -> first, 's1'.
  const levels = [-20, -30, -60, -70, -50, -10];
  const labels = [4, 4, 4, 3, 3, 0];
  const logmel = new Float32Array(levels.length * size);
  levels.forEach((v, i) => logmel.fill(v, i * size, (i + 1) * size));
  const ids = ['a1', 'a2', 'a3', 's1', 's2', 'n1'];

  it('shows typical clips, class means, difference and spectra', async () => {
    const { svg, png } = await renderFigure(melComparisonSpec(logmel, shape, labels, emotions, { ids, size: 100 }));
    expect(count(svg, '<image ')).toBe(7); // 4 spectrograms + difference + 2 colour bars
    expect(count(svg, 'data:image/png;base64,')).toBe(7);
    expect(svg).toContain('>angry: typical clip</text>');
    expect(svg).toContain('>a2</text>'); // subtitle: the clip id
    expect(svg).toContain('>s1</text>');
    expect(svg).toContain('angry: mean of 3');
    expect(svg).toContain('sad: mean of 2');
    expect(count(svg, 'aria-roledescription="line mark"')).toBe(2);
    expectValidFigure(svg, png, 20_000);
  });

  it('leaves padding out of the mean spectrum when real frame counts are given', () => {
    // one clip per class, 16 bands × 8 frames: 2 real frames at -10 dB, 6 padded at -80 dB
    const two = new Float32Array(2 * size).fill(-80);
    for (let clip = 0; clip < 2; clip++) for (let band = 0; band < 16; band++) two.fill(-10, clip * size + band * 8, clip * size + band * 8 + 2);
    const spectrumOf = (spec: unknown) => (spec as any).vconcat[1].hconcat[2].data.values as { band: number; class: string; dB: number }[];
    const real = spectrumOf(melComparisonSpec(two, shape, [4, 3], emotions, { frames: [2, 2] }));
    const all = spectrumOf(melComparisonSpec(two, shape, [4, 3], emotions));
    expect(real).toHaveLength(32);
    for (const p of real) expect(p.dB).toBeCloseTo(-10, 5);
    for (const p of all) expect(p.dB).toBeCloseTo((2 * -10 + 6 * -80) / 8, 5);
  });

  it('names a missing class or a shape mismatch', () => {
    expect(() => melComparisonSpec(logmel, shape, [0, 0, 0, 0, 0, 0], emotions)).toThrow(/no clip of class 'angry' among 6 clips/);
    expect(() => melComparisonSpec(logmel, shape, labels, ['a', 'b'])).toThrow(/class 'angry' is not one of: a, b/);
    expect(() => melComparisonSpec(logmel.subarray(1), shape, labels, emotions)).toThrow(/expected 6 clips of \[16,8\]/);
  });
});

describe('raster', () => {
  it('encodes an RGB PNG whose pixels inflate back, grid row 0 at the bottom', () => {
    const lut = colorLut('greys');
    // 2 rows × 3 cols: row 0 = lo (light in greys), row 1 = hi (dark)
    const rgb = colorize([0, 0, 0, 1, 1, 1], 2, 3, 0, 1, lut);
    expect(Array.from(rgb.subarray(0, 3))).toEqual(Array.from(lut.subarray(255 * 3, 256 * 3))); // top-left = hi
    expect(Array.from(rgb.subarray(9, 12))).toEqual(Array.from(lut.subarray(0, 3))); // bottom-left = lo
    const png = encodePng(rgb, 3, 2);
    expect(pngSize(png)).toEqual({ width: 3, height: 2 });
    const idat = png.indexOf(0x49, 33); // 'I' of IDAT after the IHDR chunk (8 + 25 bytes)
    const length = new DataView(png.buffer, png.byteOffset).getUint32(idat - 4);
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + length));
    expect(Array.from(raw)).toEqual([0, ...rgb.subarray(0, 9), 0, ...rgb.subarray(9, 18)]);
  });

  it('resvg finds a font: text renders to more than a blank image', () => {
    const blank = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/></svg>');
    const text = svgToPng(
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/><text x="5" y="28" font-family="sans-serif" font-size="20">Angry vs sad</text></svg>',
    );
    expect(text.length).toBeGreaterThan(3 * blank.length);
  });
});
