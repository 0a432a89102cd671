/** The self-hosted cache server against Nx's spec: write-once entries, read-only and unknown tokens. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCacheServer } from '../nx-cache-server.mjs';

const dir = mkdtempSync(join(tmpdir(), 'nx-cache-server-'));
const server = createCacheServer({ dir, readWriteTokens: ['rw-token'], readOnlyTokens: ['ro-token'], maxBytes: 1 << 20 });
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/cache`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const put = (hash: string, body: Uint8Array | string, token = 'rw-token') =>
  fetch(`${base}/${hash}`, {
    method: 'PUT',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
  });
const get = (hash: string, token = 'ro-token') => fetch(`${base}/${hash}`, { headers: { authorization: `Bearer ${token}` } });

describe('nx-cache-server', () => {
  it('stores an entry with a read-write token and serves it to any token', async () => {
    expect((await put('1111', 'entry one')).status).toBe(200);
    for (const token of ['ro-token', 'rw-token']) {
      const res = await get('1111', token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(await res.text()).toBe('entry one');
    }
    expect((await get('2222')).status).toBe(404);
  });

  it('never overwrites an entry: a second PUT is 409 and the first content stays', async () => {
    expect((await put('3333', 'first')).status).toBe(200);
    expect((await put('3333', 'second')).status).toBe(409);
    expect(await (await get('3333')).text()).toBe('first');
  });

  it('two racing uploads of one hash: one is stored, the other refused', async () => {
    const statuses = await Promise.all(['a', 'b', 'c', 'd'].map((v) => put('4444', v.repeat(200_000)).then((r) => r.status)));
    expect(statuses.sort()).toEqual([200, 409, 409, 409]);
    expect(readFileSync(join(dir, '4444'), 'utf8')).toMatch(/^(a+|b+|c+|d+)$/);
  });

  it('a read-only token cannot write (403), an unknown or missing one cannot read (401)', async () => {
    expect((await put('5555', 'x', 'ro-token')).status).toBe(403);
    expect((await get('5555', 'rw-token')).status).toBe(404);
    expect((await get('1111', 'someone-else')).status).toBe(401);
    expect((await fetch(`${base}/1111`)).status).toBe(401);
    expect((await put('5555', 'x', 'someone-else')).status).toBe(401);
  });

  it('refuses paths that are not a hash, and entries over the size limit (413)', async () => {
    expect((await get('..%2Fescape')).status).toBe(404);
    expect((await fetch(`${base.replace('/v1/cache', '')}/v1/other/1111`, { headers: { authorization: 'Bearer ro-token' } })).status).toBe(404);
    expect((await put('6666', new Uint8Array((1 << 20) + 1))).status).toBe(413);
    expect(readdirSync(dir).sort()).toEqual(['.incoming', '1111', '3333', '4444']);
    expect(readdirSync(join(dir, '.incoming'))).toEqual([]);
  });
});
