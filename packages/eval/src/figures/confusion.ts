/** The confusion-matrix figure of the report. */
import type { TopLevelSpec } from 'vega-lite';
import type { ConfusionMatrix } from '../metrics.ts';
import { SPEC_BASE } from './spec-base.ts';

/**
 * Heatmap of a confusion matrix (true classes as rows), with the value in each cell.
 * `normalize`: divide each row by its support (rows with no samples stay 0), i.e. per-class recall on the diagonal.
 */
export function confusionMatrixSpec(
  cm: ConfusionMatrix,
  classes: readonly string[],
  { normalize = false, title = 'Confusion matrix' }: { normalize?: boolean; title?: string } = {},
): TopLevelSpec {
  const values = cm.flatMap((row, t) => {
    const support = row.reduce((s, x) => s + x, 0);
    return row.map((count, p) => ({
      true: classes[t],
      predicted: classes[p],
      count,
      value: normalize ? (support === 0 ? 0 : count / support) : count,
    }));
  });
  const max = Math.max(1e-9, ...values.map((v) => v.value));
  const format = normalize ? '.2f' : 'd';
  const axis = { type: 'ordinal' as const, sort: [...classes] };
  return {
    ...SPEC_BASE,
    title: `${title} (${normalize ? 'row-normalised' : 'counts'})`,
    data: { values },
    width: 36 * classes.length,
    height: 36 * classes.length,
    encoding: {
      x: { field: 'predicted', ...axis, title: 'predicted', axis: { labelAngle: -40 } },
      y: { field: 'true', ...axis, title: 'true' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'value',
            type: 'quantitative',
            scale: { scheme: 'blues', domain: [0, max] },
            title: normalize ? 'share of row' : 'count',
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        encoding: {
          text: { field: 'value', type: 'quantitative', format },
          color: { condition: { test: `datum.value > ${max / 2}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}
