import { describe, expect, it } from 'vitest';
import { STAGE_NAMES } from '@ser/core/params';
import { loadStageDefinition } from '@ser/core/stage-loader';
import { stageModules } from '../src/stage-modules.ts';

describe('stage modules', () => {
  it('give the CLI every stage of stage-packages.json', async () => {
    for (const stage of STAGE_NAMES) expect((await loadStageDefinition(stage, stageModules)).name).toBe(stage);
  });

  it('name the package that is missing', async () => {
    await expect(loadStageDefinition('mel', {})).rejects.toThrow("stage 'mel' is computed by @ser/features, which is not among the stage modules");
  });
});
