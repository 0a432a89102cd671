/**
 * `ser ui`: the local web app over data/runs (runs table, run pages, comparisons, "try it"), served
 * by Hono on Node (@hono/node-server). Binds 127.0.0.1 unless told otherwise: the runs (models,
 * params, paths) are for this machine's user.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { runsDir, type RunRecord } from '@ser/core';
import { uiApp } from './app.ts';
import { buildPageAssets } from './page-assets.ts';

export interface UiOptions {
  /** The workspace root (data/runs is read from it). */
  root: string;
  /** The run records, oldest first (the CLI passes its run registry's listRuns). */
  listRuns: () => RunRecord[];
  /** Default 8080; 0 takes any free port. */
  port?: number;
  /** Default 127.0.0.1 (this machine only). */
  host?: string;
}

export interface RunningUi {
  url: string;
  close(): Promise<void>;
}

export async function startUi({ root, listRuns, port = 8080, host = '127.0.0.1' }: UiOptions): Promise<RunningUi> {
  const app = uiApp({ runsRoot: runsDir(root), listRuns, assets: await buildPageAssets() });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostInUrl}:${address.port}/`,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
