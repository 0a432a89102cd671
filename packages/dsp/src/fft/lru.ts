/** Plans kept per kind: each holds ~4n numbers, and building one costs far more than a transform. */
const PLAN_CACHE_SIZE = 24;

/** Least-recently-used plan lookup; `evict` releases what a dropped plan holds outside the JS heap. */
export function cachedPlan<T>(cache: Map<number, T>, n: number, build: (n: number) => T, evict?: (plan: T) => void): T {
  let plan = cache.get(n);
  if (plan) cache.delete(n);
  else plan = build(n);
  cache.set(n, plan);
  if (cache.size > PLAN_CACHE_SIZE) {
    const [oldest, dropped] = cache.entries().next().value!;
    cache.delete(oldest);
    evict?.(dropped);
  }
  return plan;
}
