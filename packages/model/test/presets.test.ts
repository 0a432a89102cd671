/** train.preset: named recipes beneath the keys pipeline.yaml sets itself. */
import { describe, expect, it } from 'vitest';
import { beneath, DEFAULT_PRESET, presets, trainParams } from '../src/params.ts';

describe('train presets', () => {
  it('no preset given: the default preset, recorded by name', () => {
    expect(trainParams.parse({}).preset).toBe(DEFAULT_PRESET);
  });

  it("seed-cnn is the original project's CNN and recipe", () => {
    const p = trainParams.parse({ preset: 'seed-cnn' });
    expect(p).toMatchObject({ filters: [32, 64, 128], kernelSize: 3, denseUnits: 128, epochs: 30, learningRate: 1e-3, batchSize: 32 });
    expect(p).toMatchObject({ lrSchedule: 'plateau', standardize: 'training-set', variantsPerEpoch: 'all', labelSmoothing: 0, mixup: 0, freqShift: 0 });
  });

  it("every preset's values are what it parses to, and a key given explicitly wins over the preset", () => {
    for (const [name, values] of Object.entries(presets)) {
      expect(trainParams.parse({ preset: name })).toMatchObject(values);
      expect(trainParams.parse({ preset: name, epochs: 3 }).epochs).toBe(3);
    }
  });

  it("a block given in part keeps the rest of the preset's block; arrays and plain values replace it", () => {
    const preset = { epochs: 60, filters: [32, 64], lrPlateau: { factor: 0.5, patience: 8 } };
    expect(beneath(preset, { lrPlateau: { factor: 0.3 }, filters: [16] })).toEqual({ epochs: 60, filters: [16], lrPlateau: { factor: 0.3, patience: 8 } });
    expect(beneath(preset, { epochs: 1 })).toEqual({ ...preset, epochs: 1 });
    expect(preset.lrPlateau).toEqual({ factor: 0.5, patience: 8 });
  });

  it('an unknown preset is an error naming the key and the choices', () => {
    const r = trainParams.safeParse({ preset: 'resnet-9000' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['preset']);
    expect(r.error!.issues[0].message).toContain('seed-cnn');
  });
});
