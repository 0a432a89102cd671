/** Plans kept per kind: each holds ~4n numbers, and building one costs far more than a transform. */
const PLAN_CACHE_SIZE = 24;

/** Least-recently-used plan lookup; `evict` releases what a dropped plan holds outside the JS heap. */
export function cachedPlan<K, T>(cache: Map<K, T>, key: K, build: (key: K) => T, evict?: (plan: T) => void): T {
  let plan = cache.get(key);
  if (plan) cache.delete(key);
  else plan = build(key);
  cache.set(key, plan);
  if (cache.size > PLAN_CACHE_SIZE) {
    const [oldest, dropped] = cache.entries().next().value!;
    cache.delete(oldest);
    evict?.(dropped);
  }
  return plan;
}
