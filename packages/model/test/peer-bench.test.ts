/** runTorchPeer reads the peer's --bench JSON; a failing peer is named. A stand-in script plays the peer (node in place of python). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ratioToPeer, runTorchPeer } from '../src/peer-bench.ts';

const dir = mkdtempSync(join(tmpdir(), 'ser-peer-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Writes what torch_cnn.py --bench --json writes, with the thread count it was given echoed into `threads`.
const fakePeer = join(dir, 'peer.js');
writeFileSync(
  fakePeer,
  `const a = process.argv.slice(2);
const arg = (k) => a[a.indexOf(k) + 1];
if (!a.includes('--bench') || arg('--padding') !== 'same' || arg('--repeats') !== '1') process.exit(9);
require('fs').writeFileSync(arg('--json'), JSON.stringify({ torch: '1.13.1', threads: Number(arg('--threads')), loadavg_after: ['0.50', '0.4', '0.3'],
  results: { same: { train_samples_per_s: 50, train_epoch_cpu_s_runs: [40], infer_samples_per_s_b32: 200, infer_1000_b32_cpu_s_runs: [8] } } }));
`,
);
const brokenPeer = join(dir, 'broken.js');
writeFileSync(brokenPeer, `console.error('Traceback (most recent call last):\\nModuleNotFoundError: No module named torch'); process.exit(1);`);

describe('runTorchPeer', () => {
  it("reads the peer's figures, per wall second and per CPU second of its 1,000 samples", async () => {
    const peer = await runTorchPeer(fakePeer, 2, process.execPath);
    expect(peer).toEqual({
      script: fakePeer,
      torch: '1.13.1',
      threads: 2,
      trainSamplesPerSec: 50,
      trainCpuSamplesPerSec: 25,
      inferSamplesPerSec: 200,
      inferCpuSamplesPerSec: 125,
      loadAverage1mAfter: 0.5,
    });
    expect(ratioToPeer({ trainSamplesPerSec: 55, trainCpuSamplesPerSec: 30, inferSamplesPerSec: 100, inferCpuSamplesPerSec: 125 }, peer)).toEqual({
      trainSamplesPerSec: 1.1,
      trainCpuSamplesPerSec: 1.2,
      inferSamplesPerSec: 0.5,
      inferCpuSamplesPerSec: 1,
    });
  });

  it('a failing peer: the error names the script and gives its last line', async () => {
    await expect(runTorchPeer(brokenPeer, 2, process.execPath)).rejects.toThrow(
      `PyTorch peer ${brokenPeer} (${process.execPath}) failed: ModuleNotFoundError: No module named torch`,
    );
  });
});
