import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createPool } from '../src/pool.ts';

// A throwaway package whose TypeScript worker module imports another TypeScript file.
const dir = mkdtempSync(join(tmpdir(), 'ser-pool-'));
mkdirSync(join(dir, 'src'));
writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
const writeFactor = (factor: number) => writeFileSync(join(dir, 'src', 'factor.ts'), `export const factor: number = ${factor};\n`);
writeFactor(2);
writeFileSync(
  join(dir, 'src', 'worker.ts'),
  `import { writeFileSync } from 'node:fs';
import { factor } from './factor.ts';
export const scale = (xs: Float32Array): Float32Array => xs.map((x) => x * factor);
export function fails(name: string): never { throw new Error(\`\${name}: bad input\`); }
export function crashes(): Promise<never> { return new Promise(() => setTimeout(() => { throw new Error('worker crashed'); })); }
export function exits(): never { process.exit(3); }
export const ownUrl = (): string => import.meta.url;
export function noteExit(path: string): void { process.on('exit', (code) => writeFileSync(path, String(code))); }
export function keepAlive(): void { setInterval(() => {}, 1000); }
`,
);
const url = pathToFileURL(join(dir, 'src', 'worker.ts'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createPool', () => {
  it('runs the exported functions of a TypeScript worker module, with its imports, on every worker', async () => {
    const pool = createPool(url, 2);
    try {
      const results = await Promise.all([1, 2, 3, 4].map((x) => pool.call<Float32Array>('scale', [Float32Array.of(x)])));
      expect(results.map((r) => r[0])).toEqual([2, 4, 6, 8]);
    } finally {
      await pool.close();
    }
  });

  it('keeps import.meta.url of each source file (the bundle itself lives elsewhere)', async () => {
    const pool = createPool(url, 1);
    try {
      expect(await pool.call('ownUrl', [])).toBe(url.href);
    } finally {
      await pool.close();
    }
  });

  it('rebuilds the worker when a source it imports changes', async () => {
    writeFactor(3);
    const pool = createPool(url, 1);
    try {
      expect((await pool.call<Float32Array>('scale', [Float32Array.of(5)]))[0]).toBe(15);
    } finally {
      await pool.close();
      writeFactor(2);
    }
  });

  it('passes a thrown error on with its message, names a missing function, and replaces a crashed worker', async () => {
    const pool = createPool(url, 1);
    try {
      await expect(pool.call('fails', ['clip.wav'])).rejects.toThrow('clip.wav: bad input');
      await expect(pool.call('nope', [])).rejects.toThrow(`worker module ${join(dir, 'src', 'worker.ts')} has no function 'nope'`);
      await expect(pool.call('crashes', [])).rejects.toThrow('worker crashed');
      expect((await pool.call<Float32Array>('scale', [Float32Array.of(1)]))[0]).toBe(2);
      await expect(pool.call('exits', [])).rejects.toThrow("worker for 'exits' exited with code 3");
      expect((await pool.call<Float32Array>('scale', [Float32Array.of(1)]))[0]).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('close lets each worker exit by itself, and terminates one still busy after the grace period', async () => {
    const exitFile = join(dir, 'exit-code');
    const pool = createPool(url, 1);
    await pool.call('noteExit', [exitFile]);
    await pool.close();
    // A terminated worker never runs its 'exit' handlers; one that exits by itself does, with code 0.
    expect(readFileSync(exitFile, 'utf8')).toBe('0');

    const stuck = createPool(url, 1);
    await stuck.call('keepAlive', []);
    const start = Date.now();
    await stuck.close(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(190);
  });
});
