/**
 * Progress of long work: items done, rate and ETA. On a TTY one line redrawn in place;
 * otherwise (CI, Nx, logs) a plain line at most every `intervalMs`.
 */
import type { Progress } from './stage.ts';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function createProgress(
  label: string,
  total: number,
  {
    stream = process.stderr,
    intervalMs = 5000,
    now = () => performance.now(),
    initial = 0,
    format,
  }: {
    stream?: NodeJS.WriteStream | { isTTY?: boolean; write(s: string): unknown };
    intervalMs?: number;
    now?: () => number;
    /** Already done before this process started (a resumed download): counted, but not in the rate. */
    initial?: number;
    /** Shows amounts and the rate (e.g. as bytes); default: plain counts. */
    format?: (n: number) => string;
  } = {},
): Progress {
  const start = now();
  const tty = Boolean(stream.isTTY);
  let done = initial;
  let lastDraw = -Infinity;
  const line = () => {
    const elapsed = (now() - start) / 1000;
    const rate = (done - initial) / Math.max(elapsed, 1e-9);
    const eta = rate > 0 ? (total - done) / rate : Infinity;
    const pct = total ? Math.floor((100 * done) / total) : 100;
    const amount = format ?? String;
    // A total that is not finite is unknown (a download without Content-Length): no share, no ETA.
    const of = Number.isFinite(total) ? `/${amount(total)} (${pct}%)` : '';
    const left = Number.isFinite(total) ? `, ETA ${formatDuration(eta)}` : '';
    return `${label}: ${amount(done)}${of} ${format ? format(rate) : rate.toFixed(1)}/s, elapsed ${formatDuration(elapsed)}${left}`;
  };
  const draw = (force: boolean) => {
    const t = now();
    if (!force && t - lastDraw < (tty ? 100 : intervalMs)) return;
    lastDraw = t;
    stream.write(tty ? `\r\x1b[2K${line()}` : `${line()}\n`);
  };
  return {
    tick(n = 1) {
      done += n;
      draw(false);
    },
    done() {
      draw(true);
      if (tty) stream.write('\n');
    },
  };
}
