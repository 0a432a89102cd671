/**
 * codeKey: the hash of what a module runs. Built in a throwaway workspace: a stage module that
 * imports a helper, starts a worker by URL and imports a WAT kernel, beside a file it never imports.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeKey, lockedVersions } from '../src/code-key.ts';

const FILES: Record<string, string> = {
  'packages/a/src/stage.ts': `import { z } from 'zod';
import { scale } from './helper.ts';
import kernel from './kernel.wat';
/** The stage. */
export const run = (x: number) => ({ y: scale(x), worker: new URL('./worker.ts', import.meta.url), kernel, schema: z.number() });
`,
  'packages/a/src/helper.ts': `/** Doubles. */\nexport function scale(value: number) {\n  return value * 2; // why: the spec says so\n}\n`,
  'packages/a/src/worker.ts': `export const work = (n: number) => n + 1;\n`,
  'packages/a/src/unused.ts': `export const nobodyImportsMe = 1;\n`,
  'packages/a/src/kernel.wat': `(module (func (export "one") (result i32) (i32.const 1)))\n`,
  'package-lock.json': JSON.stringify({
    lockfileVersion: 3,
    packages: {
      'node_modules/zod': { version: '4.0.0', dependencies: { tiny: '^1' } },
      'node_modules/tiny': { version: '1.2.3' },
      'node_modules/eslint': { version: '9.0.0' },
    },
  }),
};

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'ser-code-key-'));
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

const keyOf = (root: string) => codeKey(root, join(root, 'packages/a/src/stage.ts'));
const edit = (root: string, file: string, f: (text: string) => string) => writeFileSync(join(root, file), f(readFileSync(join(root, file), 'utf8')));

describe('codeKey', () => {
  it('lists the sources the module runs (its worker and WAT too) and the packages it imports with their dependencies', async () => {
    const key = await keyOf(workspace());
    expect(key.sources).toEqual(['packages/a/src/helper.ts', 'packages/a/src/kernel.wat', 'packages/a/src/stage.ts', 'packages/a/src/worker.ts']);
    expect(key.packages).toEqual({ tiny: '1.2.3', zod: '4.0.0' });
  });

  it('does not change for comments, whitespace, local names, a moved workspace or a file the module does not import', async () => {
    const root = workspace();
    const before = (await keyOf(root)).code;
    edit(
      root,
      'packages/a/src/helper.ts',
      (t) =>
        t.replaceAll('value', 'v').replace('/** Doubles. */', '/** Twice its argument (a new comment). */').replace('// why: the spec says so', '') + '\n\n',
    );
    edit(root, 'packages/a/src/kernel.wat', (t) => `;; a comment\n${t.replace(' (func', '\n  (func')}`);
    edit(root, 'packages/a/src/unused.ts', (t) => t.replace('1', '2'));
    expect((await keyOf(root)).code).toBe(before);
    const moved = mkdtempSync(join(tmpdir(), 'ser-code-key-moved-'));
    cpSync(root, moved, { recursive: true, filter: (src) => !src.includes('node_modules') });
    expect((await keyOf(moved)).code).toBe(before);
  });

  it('changes for a real edit of the module, of what it imports, of its worker and of its WAT', async () => {
    const root = workspace();
    const seen = new Set([(await keyOf(root)).code]);
    const edits: [string, (t: string) => string][] = [
      ['packages/a/src/stage.ts', (t) => t.replace('scale(x)', 'scale(x) + 1')],
      ['packages/a/src/helper.ts', (t) => t.replace('* 2', '* 3')],
      ['packages/a/src/worker.ts', (t) => t.replace('n + 1', 'n + 2')],
      ['packages/a/src/kernel.wat', (t) => t.replace('i32.const 1', 'i32.const 2')],
    ];
    for (const [file, f] of edits) {
      edit(root, file, f);
      const { code } = await keyOf(root);
      expect(seen.has(code), file).toBe(false);
      seen.add(code);
    }
  });

  it('reports an upgrade of a package it uses (or of that package’s dependencies), not of one it does not use', async () => {
    const root = workspace();
    const lock = (f: (l: any) => void) => edit(root, 'package-lock.json', (t) => JSON.stringify(((l) => (f(l), l))(JSON.parse(t))));
    lock((l) => (l.packages['node_modules/eslint'].version = '9.1.0'));
    expect((await keyOf(root)).packages).toEqual({ tiny: '1.2.3', zod: '4.0.0' });
    lock((l) => (l.packages['node_modules/tiny'].version = '1.2.4'));
    expect((await keyOf(root)).packages).toEqual({ tiny: '1.2.4', zod: '4.0.0' });
  });
});

describe('lockedVersions', () => {
  it('resolves nested node_modules the way Node does', () => {
    const root = mkdtempSync(join(tmpdir(), 'ser-lock-'));
    writeFileSync(
      join(root, 'package-lock.json'),
      JSON.stringify({
        packages: {
          'node_modules/a': { version: '1.0.0', dependencies: { b: '^2' } },
          'node_modules/a/node_modules/b': { version: '2.0.0' },
          'node_modules/b': { version: '1.0.0' },
        },
      }),
    );
    expect(lockedVersions(root, ['a'])).toEqual({ a: '1.0.0', 'node_modules/a/node_modules/b': '2.0.0' });
    expect(lockedVersions(root, ['b'])).toEqual({ b: '1.0.0' });
  });
});
