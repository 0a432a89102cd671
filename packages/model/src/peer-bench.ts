/**
 * The PyTorch peer of `ser bench train` (`../shared/peers/torch_cnn.py --bench`): the same CNN
 * ('same' padding, batch 32, random 128×128×1 inputs) timed by a mature framework on this machine,
 * run right after our benchmark so both are measured in the same minutes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface PeerResult {
  script: string;
  torch: string;
  threads: number;
  trainSamplesPerSec: number;
  trainCpuSamplesPerSec: number;
  inferSamplesPerSec: number;
  inferCpuSamplesPerSec: number;
  loadAverage1mAfter: number;
}

/** The peer script's `--bench --json` file (one padding, `repeats` 1): the fields read here. */
interface PeerJson {
  torch: string;
  threads: number;
  loadavg_after: string[];
  results: Record<
    string,
    { train_samples_per_s: number; train_epoch_cpu_s_runs: number[]; infer_samples_per_s_b32: number; infer_1000_b32_cpu_s_runs: number[] }
  >;
}

/** The peer times 1,000 samples per epoch and per inference pass. */
const PEER_SAMPLES = 1000;

/** Run the peer with `threads` intra-op threads (our worker count) under `python`; throws naming the script on failure. */
export async function runTorchPeer(script: string, threads: number, python: string): Promise<PeerResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ser-peer-'));
  const out = join(dir, 'peer.json');
  try {
    await promisify(execFile)(python, [script, '--bench', '--padding', 'same', '--repeats', '1', '--threads', String(threads), '--json', out], {
      maxBuffer: 1 << 24,
    }).catch((e: Error & { stderr?: string }) => {
      const last = (e.stderr ?? e.message).trim().split('\n').pop();
      throw new Error(`PyTorch peer ${script} (${python}) failed: ${last}`);
    });
    const peer = JSON.parse(readFileSync(out, 'utf8')) as PeerJson;
    const r = peer.results.same;
    return {
      script,
      torch: peer.torch,
      threads: peer.threads,
      trainSamplesPerSec: r.train_samples_per_s,
      trainCpuSamplesPerSec: round(PEER_SAMPLES / r.train_epoch_cpu_s_runs[0]),
      inferSamplesPerSec: r.infer_samples_per_s_b32,
      inferCpuSamplesPerSec: round(PEER_SAMPLES / r.infer_1000_b32_cpu_s_runs[0]),
      loadAverage1mAfter: Number(peer.loadavg_after[0]),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number) => Number(x.toFixed(2));

/** Ours ÷ peer for each figure both report (> 1: we are faster). */
export function ratioToPeer(ours: Record<string, unknown>, peer: PeerResult): Record<string, number> {
  const keys = ['trainSamplesPerSec', 'trainCpuSamplesPerSec', 'inferSamplesPerSec', 'inferCpuSamplesPerSec'] as const;
  return Object.fromEntries(keys.map((k) => [k, round((ours[k] as number) / peer[k])]));
}
