/**
 * The UI's HTTP routes (Hono): read-only (GET and HEAD; anything else is 405), the pages' assets,
 * the JSON API over the run records, and the files of data/runs (the models the page runs, the
 * figures and reports) through runFile's guard. A Content-Security-Policy keeps the page to this
 * origin: scripts, styles, images, fetches and workers from anywhere else are refused by the browser.
 */
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { RunRecord } from '@ser/core';
import { typeOf, type Asset } from './page-assets.ts';
import { runFile } from './run-files.ts';
import { comparison, runDetail, runsTable } from './runs-api.ts';

export interface AppOptions {
  /** data/runs of the workspace. */
  runsRoot: string;
  /** The run records, oldest first (read on every request, so new runs appear on reload). */
  listRuns: () => RunRecord[];
  assets: Map<string, Asset>;
}

const READ_METHODS = ['GET', 'HEAD'];

export function uiApp({ runsRoot, listRuns, assets }: AppOptions): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    if (!READ_METHODS.includes(c.req.method)) return c.text('read-only: GET and HEAD only\n', 405, { Allow: READ_METHODS.join(', ') });
    await next();
  });
  app.use(
    '*',
    secureHeaders({
      // Plain HTTP on this machine: HSTS would only confuse other local servers on the same host name.
      strictTransportSecurity: false,
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // WebAssembly (PFFFT, the audio decoders, TF.js's backend) needs 'wasm-unsafe-eval'; nothing needs eval.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        // Vega-Embed and Vega's tooltips set inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    }),
  );

  app.get('/api/runs', (c) => {
    const { sort, asc, all, filter, group } = c.req.query();
    const split = filter?.indexOf('=') ?? -1;
    try {
      return c.json(
        runsTable(listRuns(), {
          sortBy: sort || undefined,
          ascending: asc === undefined ? undefined : asc === '1',
          allParams: all === '1',
          group: group !== '0',
          filter: split > 0 ? { key: filter.slice(0, split), value: JSON.parse(filter.slice(split + 1)) } : undefined,
        }),
      );
    } catch (e) {
      return c.json({ error: (e as Error).message }, 400);
    }
  });
  app.get('/api/runs/:id', (c) => {
    const record = listRuns().find((r) => r.id === c.req.param('id'));
    return record ? c.json(runDetail(runsRoot, record)) : c.json({ error: `no run '${c.req.param('id')}'` }, 404);
  });
  app.get('/api/compare', (c) => {
    const ids = (c.req.query('ids') ?? '').split(',').filter(Boolean);
    const runs = listRuns();
    const records = ids.map((id) => runs.find((r) => r.id === id));
    if (records.length < 2 || records.some((r) => !r)) return c.json({ error: `compare needs two or more recorded run ids, got '${ids.join(',')}'` }, 400);
    return c.json(comparison(runsRoot, records as RunRecord[]));
  });

  app.get('/runs/*', (c) => {
    // The raw path: Hono's c.req.path is decoded, and the guard must see `%2f` and `%2e` as sent.
    const raw = new URL(c.req.url).pathname.slice('/runs/'.length);
    const file = runFile(runsRoot, raw);
    if (!file) return c.text('not found\n', 404);
    return c.body(new Uint8Array(readFileSync(file)), 200, { 'Content-Type': typeOf(file), 'X-Content-Type-Options': 'nosniff' });
  });
  app.get('*', (c) => {
    const asset = assets.get(c.req.path);
    return asset ? c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': 'no-cache' }) : c.text('not found\n', 404);
  });
  return app;
}
