/** The `dataset:` block of pipeline.yaml: where the labelled audio is and how it is laid out. */
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
