/**
 * Raster images for dense heatmaps (spectrograms): a 128×128 grid as SVG rects would be 16k marks
 * per panel, so it is coloured here and embedded in the figure as one PNG image.
 */
import { crc32, deflateSync } from 'node:zlib';
import { scheme } from 'vega';

/** 256 RGB triplets sampled from a Vega colour scheme, so images match Vega's own legends/axes. */
export function colorLut(schemeName: string): Uint8Array {
  const interpolate = scheme(schemeName) as ((t: number) => string) | undefined;
  if (typeof interpolate !== 'function') throw new Error(`unknown continuous Vega colour scheme '${schemeName}'`);
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(parseColor(interpolate(i / 255)), i * 3);
  return lut;
}

function parseColor(css: string): number[] {
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) return [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16));
  throw new Error(`cannot parse colour '${css}'`);
}

/**
 * Colour a row-major [rows, cols] grid into RGB pixels, values clamped to [lo, hi].
 * Row 0 of the grid (e.g. the lowest mel band) lands at the *bottom* of the image, as on a plot's y axis.
 */
export function colorize(values: ArrayLike<number>, rows: number, cols: number, lo: number, hi: number, lut: Uint8Array): Uint8Array {
  if (values.length !== rows * cols) throw new Error(`${values.length} values is not a ${rows}×${cols} grid`);
  const rgb = new Uint8Array(rows * cols * 3);
  const span = hi > lo ? hi - lo : 1;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const t = Math.min(1, Math.max(0, (values[r * cols + c] - lo) / span));
      const k = Math.round(t * 255) * 3;
      rgb.set(lut.subarray(k, k + 3), ((rows - 1 - r) * cols + c) * 3);
    }
  return rgb;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** 8-bit RGB PNG (PNG spec, ISO/IEC 15948: IHDR colour type 2, filter 0 on every row, zlib IDAT). */
export function encodePng(rgb: Uint8Array, width: number, height: number): Uint8Array {
  if (rgb.length !== width * height * 3) throw new Error(`${rgb.length} bytes is not ${width}×${height} RGB pixels`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, RGB, deflate, no filter method, no interlace
  const raw = Buffer.alloc(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** `data:` URL of a PNG, for embedding in SVG and HTML without external files. */
export function pngDataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}
