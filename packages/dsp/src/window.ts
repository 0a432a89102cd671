/** Analysis windows. */

const windowCache = new Map<number, Float64Array>();

/** Periodic Hann window (scipy.signal.get_window('hann', n, fftbins=True)). */
export function hannWindow(n: number): Float64Array {
  let w = windowCache.get(n);
  if (!w) {
    w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    windowCache.set(n, w);
  }
  return w;
}
