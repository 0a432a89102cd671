/** runFile: the one guard between a URL path and the disk, on a scratch data/runs with links pointing in and out. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFile } from '../src/run-files.ts';

const root = mkdtempSync(join(tmpdir(), 'ser-ui-runs-'));
const runs = join(root, 'data/runs');
mkdirSync(join(runs, 'r1/train'), { recursive: true });
writeFileSync(join(runs, 'r1/train/model.json'), '{}');
writeFileSync(join(runs, 'r1/a b.json'), '{}');
writeFileSync(join(root, 'secret.txt'), 'outside');
symlinkSync(root, join(runs, 'out-dir'));
symlinkSync(join(root, 'secret.txt'), join(runs, 'out-file'));
symlinkSync(join(runs, 'r1/train/model.json'), join(runs, 'in-link.json'));

describe('runFile', () => {
  it('finds regular files inside data/runs, percent-encoded names and links that stay inside included', () => {
    expect(runFile(runs, 'r1/train/model.json')).toBe(join(runs, 'r1/train/model.json'));
    expect(runFile(runs, 'r1/a%20b.json')).toBe(join(runs, 'r1/a b.json'));
    expect(runFile(runs, 'in-link.json')).toBe(join(runs, 'r1/train/model.json'));
  });

  it.each([
    ['a parent segment', '../secret.txt'],
    ['a parent segment deeper down', 'r1/../../secret.txt'],
    ['an encoded parent segment', '%2e%2e/secret.txt'],
    ['an encoded slash', '..%2fsecret.txt'],
    ['an encoded backslash', '..%5csecret.txt'],
    ['an absolute path', '/etc/passwd'],
    ['an encoded absolute path', '%2fetc%2fpasswd'],
    ['a dot segment', './r1/train/model.json'],
    ['a NUL byte', 'r1/train/model.json%00'],
    ['malformed encoding', 'r1/%E0%A4%A'],
    ['a link to a folder outside', 'out-dir/secret.txt'],
    ['a link to a file outside', 'out-file'],
    ['a folder', 'r1/train'],
    ['data/runs itself', ''],
    ['a missing file', 'r1/none.json'],
  ])('%s is refused', (_, path) => expect(runFile(runs, path)).toBeNull());
});
