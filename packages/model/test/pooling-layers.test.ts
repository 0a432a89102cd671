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

  for (const pooling of ['statistics', 'attention'] as const)
    it(`pooling ${pooling}: the dense layer sees the pooled features centred and scaled per feature in training (batch mean 0 within 1e-3, variance v / (v + ε) within 1e-3)`, async () => {
      await tf.setBackend('cpu');
      // No dropout: both passes below must see the same activations.
      const model = buildModel(tinyParams({ pooling, convDropout: 0 }), 3, [16, 16, 1]);
      const dense = model.layers.findIndex((l) => l.getClassName() === 'Dense');
      const upTo = (layer: number) => tf.model({ inputs: model.inputs, outputs: model.layers[layer].output as tf.SymbolicTensor });
      // Inputs with an offset and a scale of their own, so raw pooled statistics are far from 0 and 1.
      const x = tf.tensor4d(
        values(16 * 16 * 16, 5).map((v) => 3 + 2 * v),
        [16, 16, 16, 1],
      );
      const raw = tf.moments(upTo(dense - 2).apply(x, { training: true }) as tf.Tensor2D, 0);
      const seen = tf.moments(upTo(dense - 1).apply(x, { training: true }) as tf.Tensor2D, 0);
      expect(Math.max(...Array.from(seen.mean.dataSync()).map(Math.abs))).toBeLessThan(1e-3);
      // Batch norm (ε = 1e-3, tfjs-layers' default) gives a feature of raw variance v the variance v / (v + ε).
      const expected = Array.from(raw.variance.dataSync()).map((v) => v / (v + 1e-3));
      Array.from(seen.variance.dataSync()).forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-3));
      tf.dispose([x, raw.mean, raw.variance, seen.mean, seen.variance, model] as unknown as tf.Tensor[]);
    });
});
