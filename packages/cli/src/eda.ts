/** `ser eda`: the angry-vs-sad log-Mel figure of the original notebook, from the mel stage's output. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { readClasses, readNumbers, readStageOutput, readStrings, readTensor, tableFromBytes } from '@ser/core';
import { melComparisonSpec, renderFigure } from '@ser/eval';

export async function writeEda(root: string, out: string, classA: string, classB: string): Promise<void> {
  const recordings = tableFromBytes((await readStageOutput(root, 'ingest', 'recordings', 'ser eda')).bytes);
  const tensors = tableFromBytes((await readStageOutput(root, 'mel', 'tensors', 'ser eda')).bytes);
  const classes = readClasses(recordings, 'ingest/recordings');
  const labels = readNumbers(recordings, 'label_index');
  const labelOf = new Map(readStrings(recordings, 'id').map((id, i) => [id, labels[i]]));
  const ids = readStrings(tensors, 'id');
  const { data, shape } = readTensor(tensors, 'logmel');
  const spec = melComparisonSpec(
    data,
    shape as [number, number],
    ids.map((id) => labelOf.get(id)!),
    classes,
    {
      classA,
      classB,
      ids,
      frames: readNumbers(tensors, 'frames'),
    },
  );
  const figure = await renderFigure(spec);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, figure.png);
  writeFileSync(out.replace(/\.png$/i, '') + '.svg', figure.svg);
  console.log(`wrote ${out} (and .svg): ${classA} vs ${classB} over ${ids.length} clips`);
}
