/** This package's pooling layers inside a model: output shape, trainable weights and serialisation. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../src/model.ts';
import { values } from './backends.ts';
import { tinyParams } from './synthetic.ts';

describe('pooling layers in the model', () => {
  const cases = [
    { pooling: 'statistics', layerClass: 'StatisticsPooling', weights: () => [] },
    // W [features, 64], b [64], v [64, 1]
    { pooling: 'attention', layerClass: 'AttentionPooling', weights: (features: number) => [[features, 64], [64], [64, 1]] },
  ] as const;
  for (const { pooling, layerClass, weights } of cases)
    it(`pooling ${pooling}: bands · channels · 2 features to the first dense layer, its weights, and toJSON → fromJSON`, async () => {
      await tf.setBackend('cpu');
      const params = tinyParams({ pooling });
      const model = buildModel(params, 3, [16, 16, 1]);
      const layer = model.layers.find((l) => l.getClassName() === layerClass)!;
      // Two 2×2 poolings: 16 → 4 bands.
      const features = 4 * params.filters.at(-1)!;
      expect(layer.outputShape).toEqual([null, features * 2]);
      expect(layer.trainableWeights.map((w) => w.shape)).toEqual(weights(features));
      const copy = await tf.models.modelFromJSON({ modelTopology: model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'] });
      copy.setWeights(model.getWeights());
      const x = tf.tensor4d(values(2 * 16 * 16, 13), [2, 16, 16, 1]);
      expect(Array.from((copy.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
      tf.dispose([x, model, copy] as unknown as tf.Tensor[]);
    });
});
