/**
 * Between Nx and its remote cache: entries are checked before Nx restores them, and a server that
 * is down or hangs costs one warning line and a bounded wait. Entries are made as Nx's client
 * makes them (a gzipped GNU tar of the task's outputs, terminalOutput and code), with GNU tar.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCacheServer } from '../../../tools/nx-cache-server.mjs';
import { cacheEntryProblem } from '../src/cache-entry.ts';
import { sha256 } from '../src/hash.ts';
import { outputsHashOf } from '../src/manifest.ts';
import { startVerifyingProxy, type VerifyingProxy } from '../src/remote-cache-proxy.ts';

/** An Nx cache entry of stage `mel` with one tensor file; `tamper` edits the folder before it is packed. */
function melEntry(tamper: (dir: string, tensorFile: string) => void = () => {}): Buffer {
  const root = mkdtempSync(join(tmpdir(), 'ser-entry-'));
  const dir = join(root, 'data/mel');
  mkdirSync(dir, { recursive: true });
  const tensors = Buffer.alloc(300_000, 7);
  const file = `${sha256(tensors)}.arrow`;
  const outputs = { tensors: { file, sha256: sha256(tensors), bytes: tensors.length, rows: 3 } };
  const outputsHash = outputsHashOf(outputs);
  writeFileSync(join(dir, file), tensors);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ stage: 'mel', outputs, outputsHash }));
  writeFileSync(join(dir, 'outputs.sha256'), `${outputsHash}\n`);
  writeFileSync(join(root, 'terminalOutput'), 'mel: done');
  writeFileSync(join(root, 'code'), Buffer.from([0, 0, 0, 0]));
  tamper(dir, file);
  return execFileSync('tar', ['czf', '-', '-C', root, 'data', 'terminalOutput', 'code']);
}

/** The entry with one byte flipped inside the tensor file, still a valid gzip: only the hashes tell. */
function flipTensorByte(entry: Buffer): Buffer {
  const tar = gunzipSync(entry);
  tar[tar.indexOf(Buffer.alloc(64, 7)) + 1000] ^= 0xff;
  return gzipSync(tar);
}

describe('cacheEntryProblem', () => {
  it('accepts an intact entry', async () => {
    expect(await cacheEntryProblem(melEntry())).toBeNull();
  });

  it('refuses a flipped byte, a truncated archive, an unlisted file, a missing output, a stale outputs.sha256', async () => {
    expect(await cacheEntryProblem(flipTensorByte(melEntry()))).toMatch(/^data\/mel: output 'tensors' \(.*\.arrow\) is corrupt$/);
    const whole = melEntry();
    expect(await cacheEntryProblem(whole.subarray(0, whole.length >> 1))).toMatch(/^unreadable archive/);
    expect(await cacheEntryProblem(melEntry((dir) => writeFileSync(join(dir, 'extra.bin'), 'x')))).toBe('data/mel/extra.bin is not listed in its manifest');
    expect(await cacheEntryProblem(melEntry((dir, file) => execFileSync('rm', [join(dir, file)])))).toMatch(/output 'tensors' .* is missing/);
    expect(await cacheEntryProblem(melEntry((dir) => writeFileSync(join(dir, 'outputs.sha256'), `${'0'.repeat(64)}\n`)))).toBe(
      'data/mel: outputs.sha256 does not match the manifest',
    );
  });

  it('refuses an entry without stage outputs (a hit that would restore nothing) or with files outside data/<stage>', async () => {
    expect(await cacheEntryProblem(melEntry((dir) => execFileSync('rm', ['-r', dir])))).toBe('it holds no stage outputs');
    expect(await cacheEntryProblem(melEntry((dir) => writeFileSync(join(dir, '../notes.txt'), 'x')))).toBe('data/notes.txt is not a stage output');
  });
});

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe('the verifying proxy', () => {
  const store = mkdtempSync(join(tmpdir(), 'ser-remote-'));
  const upstream = createCacheServer({ dir: store, readWriteTokens: ['rw'], readOnlyTokens: ['ro'] });
  const warnings: string[] = [];
  let proxy: VerifyingProxy;
  beforeAll(async () => {
    proxy = await startVerifyingProxy(await listen(upstream), { warn: (l) => warnings.push(l) });
  });
  afterAll(async () => {
    await proxy.close();
    upstream.close();
  });

  const put = (hash: string, body: Buffer, token = 'rw') =>
    fetch(`${proxy.url}/v1/cache/${hash}`, { method: 'PUT', body: new Uint8Array(body), headers: { authorization: `Bearer ${token}` } });
  const get = (hash: string) => fetch(`${proxy.url}/v1/cache/${hash}`, { headers: { authorization: 'Bearer ro' } });

  it('passes an intact entry through, byte for byte, and the server answers of a PUT (200, 409, 403)', async () => {
    const entry = melEntry();
    expect((await put('101', entry)).status).toBe(200);
    expect((await put('101', entry)).status).toBe(409);
    expect((await put('102', entry, 'ro')).status).toBe(403);
    const res = await get('101');
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(entry)).toBe(true);
    expect((await get('102')).status).toBe(404);
    expect(warnings).toEqual([]);
  });

  it('answers a corrupt entry as a miss, with a warning naming it', async () => {
    writeFileSync(join(store, '103'), flipTensorByte(melEntry()));
    expect((await get('103')).status).toBe(404);
    expect(warnings).toEqual([
      expect.stringMatching(/^warning: remote cache entry 103 failed verification \(data\/mel: output 'tensors' .* is corrupt\); treated as a miss/),
    ]);
  });
});

describe('the verifying proxy, server down or hanging', () => {
  it('a server that is down: misses and refused uploads at once, one warning line', async () => {
    const closed = createServer();
    const url = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const warnings: string[] = [];
    const proxy = await startVerifyingProxy(url, { warn: (l) => warnings.push(l) });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await fetch(`${proxy.url}/v1/cache/${i}`)).status);
      statuses.push((await fetch(`${proxy.url}/v1/cache/${i}`, { method: 'PUT', body: 'x' })).status);
    }
    await proxy.close();
    expect(statuses).toEqual([404, 403, 404, 403, 404, 403]);
    expect(warnings).toEqual([`warning: remote cache ${url} is unreachable (ECONNREFUSED); this run goes on with the local cache only`]);
  });

  it('a server that accepts and never answers: a miss after the timeout, then no more waiting', async () => {
    const hanging = createServer(() => {});
    const url = await listen(hanging);
    const warnings: string[] = [];
    const proxy = await startVerifyingProxy(url, { timeoutMs: 300, warn: (l) => warnings.push(l) });
    const started = performance.now();
    expect((await fetch(`${proxy.url}/v1/cache/1`)).status).toBe(404);
    const first = performance.now() - started;
    expect((await fetch(`${proxy.url}/v1/cache/2`)).status).toBe(404);
    const both = performance.now() - started;
    await proxy.close();
    hanging.closeAllConnections();
    hanging.close();
    expect(first).toBeGreaterThanOrEqual(290);
    expect(both).toBeLessThan(1500);
    expect(warnings).toEqual([
      `warning: remote cache ${url} did not answer within its deadline (300 ms, +1 s per MB); this run goes on with the local cache only`,
    ]);
  });
});
