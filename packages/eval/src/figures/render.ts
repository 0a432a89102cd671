/**
 * Figures as Vega-Lite specs, rendered in Node without a browser: Vega-Lite → Vega → SVG
 * (View.toSVG with renderer 'none'), then SVG → PNG with resvg.
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

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
  return svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (all, prefix: string, id: string) => (renamed.has(id) ? prefix + renamed.get(id) : all));
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
