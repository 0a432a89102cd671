/**
 * The local proxy through which Nx reaches a self-hosted remote cache during a run (started by
 * the pipeline's Nx plugin, tools/remote-cache-hooks.cjs). Nx 22's client checks nothing it
 * restores, has no timeout (a server that accepts and never answers hangs the run) and fails the
 * run on a connection error; so between Nx and the server:
 *   - a downloaded entry is checked as local outputs are (cache-entry.ts) before Nx sees it; a
 *     corrupt one is answered 404, a miss, so Nx runs the stage itself and never counts it a hit;
 *   - every request to the server has a deadline; a server that is down, slow, failing or that
 *     refuses the token gets one warning line, and for the rest of the run the proxy answers
 *     without it (GET: a miss, PUT: 403, which Nx takes as "not stored"): the run goes on locally.
 * A PUT the server refuses as a duplicate (409) or for a read-only token (403) reaches Nx as is.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cacheEntryProblem } from './cache-entry.ts';

export interface VerifyingProxy {
  /** What NX_SELF_HOSTED_REMOTE_CACHE_SERVER must be for Nx to go through the proxy. */
  url: string;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** How long the server may take to answer a request; transfers get this plus 1 s per MB. */
  timeoutMs?: number;
  warn?: (line: string) => void;
}

/** The slowest transfer rate a deadline allows for, in bytes per millisecond (1 MB/s). */
const MIN_BYTES_PER_MS = 1000;

class Unavailable extends Error {}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startVerifyingProxy(upstream: string, { timeoutMs = 5000, warn = (l) => console.error(l) }: ProxyOptions = {}): Promise<VerifyingProxy> {
  const base = upstream.replace(/\/+$/, '');
  /** Why the server is not used any more in this run (set once, with its warning). */
  let unavailable: string | null = null;
  const giveUp = (reason: string) => {
    if (unavailable) return;
    unavailable = reason;
    warn(`warning: remote cache ${base} ${reason}; this run goes on with the local cache only`);
  };

  /**
   * One request to the server, response body included, within its deadline (extended by the
   * size of what is sent, then of what comes back). Network errors, timeouts and 5xx give up on
   * the server (Unavailable); other statuses are returned.
   */
  async function call(method: 'GET' | 'PUT', hash: string, headers: Record<string, string>, payload?: Buffer): Promise<{ status: number; bytes: Buffer }> {
    const abort = new AbortController();
    let timer = setTimeout(() => abort.abort(), timeoutMs + (payload?.length ?? 0) / MIN_BYTES_PER_MS);
    try {
      const res = await fetch(`${base}/v1/cache/${hash}`, { method, headers, body: payload && new Uint8Array(payload), signal: abort.signal });
      const length = Number(res.headers.get('content-length') ?? 0);
      clearTimeout(timer);
      timer = setTimeout(() => abort.abort(), timeoutMs + length / MIN_BYTES_PER_MS);
      const bytes = Buffer.from(await res.arrayBuffer());
      if (res.status >= 500) throw new Unavailable(`answered ${res.status} ${res.statusText}`);
      return { status: res.status, bytes };
    } catch (e) {
      if (e instanceof Unavailable) throw e;
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new Unavailable(
        abort.signal.aborted
          ? `did not answer within its deadline (${timeoutMs} ms, +1 s per MB)`
          : `is unreachable (${cause?.code ?? cause?.message ?? (e as Error).message})`,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  const authorization = (req: IncomingMessage): Record<string, string> => (req.headers.authorization ? { authorization: req.headers.authorization } : {});

  async function get(req: IncomingMessage, res: ServerResponse, hash: string) {
    if (unavailable) return res.writeHead(404).end();
    const { status, bytes } = await call('GET', hash, { ...authorization(req), accept: 'application/octet-stream' });
    if (status === 401 || status === 403) {
      giveUp(`refused the access token (${status})`);
      return res.writeHead(404).end();
    }
    if (status !== 200) return res.writeHead(404).end();
    const problem = await cacheEntryProblem(bytes);
    if (problem) {
      warn(`warning: remote cache entry ${hash} failed verification (${problem}); treated as a miss, so its task runs here`);
      return res.writeHead(404).end();
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes);
  }

  async function put(req: IncomingMessage, res: ServerResponse, hash: string) {
    const payload = await body(req);
    if (unavailable) return res.writeHead(403).end();
    const { status } = await call('PUT', hash, { ...authorization(req), 'content-type': 'application/octet-stream' }, payload);
    if (status === 200 || status === 409 || status === 403) return res.writeHead(status).end();
    giveUp(`refused to store an entry (${status})`);
    res.writeHead(403).end();
  }

  const server = createServer(async (req, res) => {
    const hash = /^\/v1\/cache\/([^/?]+)$/.exec(req.url ?? '')?.[1];
    try {
      if (hash && req.method === 'GET') await get(req, res, hash);
      else if (hash && req.method === 'PUT') await put(req, res, hash);
      else res.writeHead(404).end();
    } catch (e) {
      // Whatever went wrong, Nx gets an answer it takes calmly, and the run goes on locally.
      giveUp(e instanceof Unavailable ? e.message : `could not be used (${(e as Error).message})`);
      if (!res.headersSent) res.writeHead(req.method === 'PUT' ? 403 : 404).end();
    }
  });
  // Only this run's Nx process connects, and the proxy must never keep that process alive.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // Nx's client keeps its connections open
      }),
  };
}
