/** The server's JSON API (runs-api.ts), typed for the pages. */
import type { Comparison, RunDetail, RunsTable } from '../runs-api.ts';

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ?? `${path}: HTTP ${res.status}`);
  return body as T;
}

export interface RunsRequest {
  sort?: string;
  asc?: boolean;
  filter?: { key: string; value: unknown };
}

export function fetchRuns({ sort, asc, filter }: RunsRequest): Promise<RunsTable> {
  const q = new URLSearchParams();
  if (sort) q.set('sort', sort);
  if (asc !== undefined) q.set('asc', asc ? '1' : '0');
  if (filter) q.set('filter', `${filter.key}=${JSON.stringify(filter.value)}`);
  return getJson(`/api/runs?${q}`);
}

export const fetchRun = (id: string) => getJson<RunDetail>(`/api/runs/${encodeURIComponent(id)}`);
export const fetchComparison = (ids: string[]) => getJson<Comparison>(`/api/compare?ids=${ids.map(encodeURIComponent).join(',')}`);
