/** The `eval` stage's declaration: once per fold, then combined (eval-stage.ts: the model, metrics, figures, loaded when it runs). */
import { defineStage } from '@ser/core';
import type { ModelLoader } from './eval-stage.ts';
import { EVAL_OUTPUTS } from './outputs.ts';
import { evalParams } from './params.ts';

/** The eval stage with a given model loader (tests pass a stub; the pipeline uses @ser/model). */
export const evalStage = (load?: ModelLoader) =>
  defineStage({
    name: 'eval',
    params: evalParams,
    outputs: EVAL_OUTPUTS,
    perFold: true,
    keepWithRun: true,
    async run(ctx) {
      const { runEval, loadModel } = await import('./eval-stage.ts');
      await runEval(ctx, load ?? loadModel);
    },
    async combine(ctx) {
      await (await import('./eval-stage.ts')).combineEval(ctx);
    },
  });

export const stage = evalStage();
