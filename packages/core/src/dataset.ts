/** The `dataset:` block of pipeline.yaml: where the labelled audio is and how it is laid out. */
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/** Dataset: RAVDESS layout (`Actor_XX/03-01-EE-II-SS-RR-AA.wav`) or a CSV manifest `path,label[,speaker][,gender]`. */
export const datasetSchema = z
  .object({
    /** Folder of `Actor_XX` folders, or a CSV manifest file. Relative to the workspace root. */
    path: z.string().min(1).default('data/raw/ravdess'),
    format: z.enum(['ravdess', 'csv']).default('ravdess'),
    /** Restrict to these actors (RAVDESS numbers, or CSV speaker ids); empty = all. */
    actors: z.array(z.union([z.number().int(), z.string()])).default([]),
  })
  .strict();

export type DatasetParams = z.infer<typeof datasetSchema>;

/** dataset.path as an absolute path (a relative one is relative to the workspace root). */
export const datasetPath = (dataset: DatasetParams, root: string) => (isAbsolute(dataset.path) ? dataset.path : resolve(root, dataset.path));

/**
 * The folder the recordings' paths in ingest's output are relative to: dataset.path, or the CSV
 * manifest's folder. Relative paths keep ingest's output, and so every downstream cache key, the
 * same in every clone on every machine, which is what lets a team share a remote cache.
 */
export const recordingsDir = (dataset: DatasetParams, root: string) =>
  dataset.format === 'csv' ? dirname(datasetPath(dataset, root)) : datasetPath(dataset, root);
