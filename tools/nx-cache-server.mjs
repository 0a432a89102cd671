#!/usr/bin/env node
/**
 * A self-hosted Nx remote cache: Nx's OpenAPI spec for self-hosted caches (Nx ≥ 20.8:
 * `PUT /v1/cache/{hash}`, `GET /v1/cache/{hash}`), one file per entry in a directory.
 *
 *   NX_CACHE_READ_WRITE_TOKENS=… NX_CACHE_READ_ONLY_TOKENS=… node tools/nx-cache-server.mjs --dir /srv/nx-cache [--port 3000] [--host 127.0.0.1]
 *
 * Entries are write-once (a second PUT of a hash is 409, even when two uploads race: the entry
 * is published with link(2), which fails if the name exists), so an entry that a trusted machine
 * wrote cannot be replaced later. Read-write tokens belong to trusted machines (main-branch CI);
 * read-only tokens (PUT is 403) to everyone else, so an untrusted branch cannot poison an entry
 * that main will read (CVE-2025-36852). Tokens come from the environment (comma-separated), not
 * from arguments, which other users of the machine can read.
 *
 * Plain JavaScript without dependencies, so it runs from this one file on any machine with Node ≥ 20.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { link, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

/** Nx task hashes; anything else (a path, `..`) never reaches the file system. */
const HASH = /^[A-Za-z0-9_-]{1,200}$/;

const digest = (token) => createHash('sha256').update(token).digest();

/** Constant-time membership, so response timing does not reveal a token's prefix. */
const tokenIn = (token, tokens) => tokens.some((t) => timingSafeEqual(digest(token), digest(t)));

/**
 * The cache server (not yet listening).
 * @param {{ dir: string, readWriteTokens: string[], readOnlyTokens?: string[], maxBytes?: number, log?: (line: string) => void }} options
 */
export function createCacheServer({ dir, readWriteTokens, readOnlyTokens = [], maxBytes = 4 * 2 ** 30, log = () => {} }) {
  if (!readWriteTokens.length) throw new Error('nx-cache-server: at least one read-write token is needed');
  const root = resolve(dir);
  const incoming = join(root, '.incoming');
  mkdirSync(incoming, { recursive: true });

  /** @returns {'read-write' | 'read-only' | null} */
  const access = (header) => {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) return null;
    if (tokenIn(token, readWriteTokens)) return 'read-write';
    return tokenIn(token, readOnlyTokens) ? 'read-only' : null;
  };

  const reply = (res, status, text = '') => {
    res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) }).end(text);
  };

  async function put(req, res, hash, file, seconds) {
    const length = Number(req.headers['content-length']);
    if (!req.headers['content-length'] || !Number.isSafeInteger(length) || length < 0) return reply(res, 400, 'Content-Length is required');
    if (length > maxBytes) return reply(res, 413, `entries are limited to ${maxBytes} bytes`);
    if (existsSync(file)) return reply(res, 409, 'the entry exists and cannot be overwritten');
    const tmp = join(incoming, `${hash}.${randomBytes(6).toString('hex')}`);
    try {
      await pipeline(req, createWriteStream(tmp, { flush: true }));
      const received = (await stat(tmp)).size;
      if (received !== length) return reply(res, 400, `received ${received} of ${length} bytes`);
      await link(tmp, file);
    } catch (e) {
      if (e.code === 'EEXIST') return reply(res, 409, 'the entry exists and cannot be overwritten');
      throw e;
    } finally {
      await rm(tmp, { force: true });
    }
    log(`PUT ${hash} ${length} bytes in ${seconds()}`);
    reply(res, 200);
  }

  async function get(res, hash, file, seconds) {
    let size;
    try {
      size = (await stat(file)).size;
    } catch {
      return reply(res, 404, 'no such entry');
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
    await pipeline(createReadStream(file), res);
    log(`GET ${hash} ${size} bytes in ${seconds()}`);
  }

  return createServer(async (req, res) => {
    const started = performance.now();
    const seconds = () => `${((performance.now() - started) / 1000).toFixed(2)} s`;
    try {
      const hash = /^\/v1\/cache\/([^/?]+)$/.exec(req.url ?? '')?.[1];
      if (!hash || !HASH.test(hash)) return reply(res, 404, 'not found');
      const who = access(req.headers.authorization);
      if (!who) return reply(res, 401, 'missing or unknown bearer token');
      const file = join(root, hash);
      if (req.method === 'GET') return await get(res, hash, file, seconds);
      if (req.method !== 'PUT') return reply(res, 405, 'only GET and PUT');
      if (who !== 'read-write') return reply(res, 403, 'this token may only read');
      return await put(req, res, hash, file, seconds);
    } catch (e) {
      log(`${req.method} ${req.url}: ${e.message}`);
      if (!res.headersSent) reply(res, 500, 'internal error');
      else res.destroy();
    }
  });
}

const tokensFrom = (value) =>
  (value ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, port: { type: 'string', default: '3000' }, host: { type: 'string', default: '127.0.0.1' } },
  });
  if (!values.dir) {
    console.error(
      'usage: NX_CACHE_READ_WRITE_TOKENS=… [NX_CACHE_READ_ONLY_TOKENS=…] node tools/nx-cache-server.mjs --dir DIR [--port 3000] [--host 127.0.0.1]',
    );
    process.exit(2);
  }
  const server = createCacheServer({
    dir: values.dir,
    readWriteTokens: tokensFrom(process.env.NX_CACHE_READ_WRITE_TOKENS),
    readOnlyTokens: tokensFrom(process.env.NX_CACHE_READ_ONLY_TOKENS),
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  server.listen(Number(values.port), values.host, () => {
    const { address, port } = /** @type {import('node:net').AddressInfo} */ (server.address());
    console.log(`nx cache server: http://${address}:${port}, entries in ${resolve(values.dir)}`);
  });
}
