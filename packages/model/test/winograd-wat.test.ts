// winograd.wat is generated once from the F(4×4, 3×3) matrices (scripts/winograd-wat.ts) and committed:
// the file must be the generator's output, so a changed matrix cannot go unnoticed.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { WINOGRAD_WAT, winogradWat } from '../scripts/winograd-wat.ts';

it('winograd.wat is what scripts/winograd-wat.ts generates (regenerate: npx tsx packages/model/scripts/winograd-wat.ts)', () => {
  expect(readFileSync(WINOGRAD_WAT, 'utf8') === winogradWat()).toBe(true);
});
