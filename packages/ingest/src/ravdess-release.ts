/**
 * The published RAVDESS speech release: where it is, its licence and citation, and the sha256 of
 * each of its 1,440 WAV files (ravdess/SHA256SUMS-01-24, shipped with this package; provenance in
 * ravdess/README.md), so that a downloaded or user-supplied copy can be verified file by file.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RAVDESS_ZENODO_RECORD = '1188976';
export const RAVDESS_SPEECH_ZIP = 'Audio_Speech_Actors_01-24.zip';
export const RAVDESS_SPEECH_URL = `https://zenodo.org/records/${RAVDESS_ZENODO_RECORD}/files/${RAVDESS_SPEECH_ZIP}?download=1`;
export const RAVDESS_LICENCE = 'CC BY-NC-SA 4.0 (https://creativecommons.org/licenses/by-nc-sa/4.0/)';
export const RAVDESS_CITATION =
  'Livingstone SR, Russo FA (2018) The Ryerson Audio-Visual Database of Emotional Speech and Song (RAVDESS). ' +
  `PLoS ONE 13(5): e0196391. https://doi.org/10.1371/journal.pone.0196391. Zenodo record ${RAVDESS_ZENODO_RECORD}.`;

/** Relative to this source file: the CLI's esbuild bundle keeps each source's own import.meta.url. */
export const RAVDESS_CHECKSUMS_FILE = fileURLToPath(new URL('../ravdess/SHA256SUMS-01-24', import.meta.url));

/** `Actor_XX/<name>.wav` → lowercase hex sha256, for all 1,440 speech WAVs of actors 01–24. */
export function ravdessChecksums(file = RAVDESS_CHECKSUMS_FILE): Map<string, string> {
  const sums = new Map<string, string>();
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      const m = /^([0-9a-f]{64}) [ *](Actor_\d{2}\/[^/]+\.wav)$/.exec(line);
      if (!m) throw new Error(`${file}:${i + 1}: not a sha256sum line`);
      sums.set(m[2], m[1]);
    });
  return sums;
}
