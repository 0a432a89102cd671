/** The `train` stage's declaration; its computation (train-stage.ts, TensorFlow.js) loads when it runs. */
import { defineStage } from '@ser/core';
import { trainParams } from './params.ts';

export const stage = defineStage({
  name: 'train',
  params: trainParams,
  outputs: {
    model: { description: 'model.json: the TF.js layers model; userDefinedMetadata.classes = the class names' },
    weights: { description: 'weights.bin: the weights model.json points at' },
    standardization: { description: 'standardization.json: the per-mel-band input mean and standard deviation of the training tensors' },
    history: { description: 'history.json: loss, accuracy and learning rate per epoch, the kept epoch (no timings)' },
  },
  perFold: true,
  keepWithRun: true,
  run: async (ctx) => (await import('./train-stage.ts')).runTrain(ctx),
});
