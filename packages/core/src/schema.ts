/** Zod building blocks shared by the stages' param schemas. */
import { z } from 'zod';

export const positiveInt = z.number().int().positive();

/** A closed interval [low, high]. */
export const range = z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo <= hi, { message: 'range must be [low, high] with low <= high' });
