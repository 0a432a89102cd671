/**
 * Opens report.html in headless Chromium (Debian's `chromium` package, installed here if missing)
 * and checks that every figure loaded and has a rendered size, and that nothing is fetched.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confusionMatrixSpec, learningCurvesSpec, melComparisonSpec, parseHistory, renderSvg } from '../src/figures/index.ts';
import { splitMetrics, type EvalMetrics } from '../src/metrics.ts';
import { renderReport, type ReportInput } from '../src/report.ts';
import { launchChromium, openReport } from './report-browser.ts';

const classes = ['neutral', 'sad', 'angry'];

let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'ser-eval-report-'));

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

function syntheticMetrics(): EvalMetrics {
  const yTrue = [0, 0, 1, 1, 2, 2, 2, 1];
  const yPred = [0, 1, 1, 1, 2, 0, 2, 1];
  const genders = ['male', 'female', 'male', 'female', 'male', 'female', 'male', 'female'];
  const speakers = ['01', '02', '03', '04', '01', '02', '03', '04'];
  const test = splitMetrics(yTrue, yPred, classes, genders, speakers);
  return {
    classes,
    backend: 'wasm',
    protocol: {
      name: 'holdout',
      groupBy: 'recording',
      description: 'random stratified split of recordings (seed 42, train/val/test 0.8/0.1/0.1)',
      seed: 42,
      folds: 1,
      partitionFolds: 1,
      ratios: { train: 0.8, val: 0.1, test: 0.1 },
      speakersSharedWithTrain: { val: 4, test: 4 },
    },
    val: test,
    test,
    summary: { 'test.macroF1': { method: 'bootstrap', value: test.macroF1, ci95: [0.4321, 0.9876], n: 8, resamples: 2000, seed: 0 } },
  };
}

async function reportInput(): Promise<ReportInput> {
  const metrics = syntheticMetrics();
  const epochs = [
    { epoch: 1, loss: 2, accuracy: 0.3, valLoss: 2, valAccuracy: 0.3 },
    { epoch: 2, loss: 1.4, accuracy: 0.5, valLoss: 1.5, valAccuracy: 0.45 },
    { epoch: 3, loss: 1.1, accuracy: 0.6, valLoss: 1.6, valAccuracy: 0.4 },
  ];
  const history = parseHistory({ epochs, bestEpoch: 2, backend: 'wasm' }, 'history');
  const shape: [number, number] = [32, 16];
  const labels = [2, 2, 1, 1];
  const logmel = Float32Array.from({ length: labels.length * 32 * 16 }, (_, k) => -80 + ((k * 7919) % 80));
  return {
    title: 'Run test-run',
    metrics,
    figures: [
      { title: 'Confusion matrix, test (counts)', svg: await renderSvg(confusionMatrixSpec(metrics.test!.confusionMatrix, classes)) },
      {
        title: 'Confusion matrix, test (row-normalised)',
        svg: await renderSvg(confusionMatrixSpec(metrics.test!.confusionMatrix, classes, { normalize: true })),
      },
      { title: 'Learning curves', svg: await renderSvg(learningCurvesSpec(history)) },
      { title: 'Angry vs sad', svg: await renderSvg(melComparisonSpec(logmel, shape, labels, classes)) },
    ],
    params: { train: { learningRate: 0.001, filters: [32, 64, 128] }, eval: { backend: 'auto' } },
    hashes: [{ label: 'dataset', value: 'a'.repeat(64) }],
  };
}

/** Write the report and open it. */
const open = (html: string, name: string) => {
  const path = join(dir, name);
  writeFileSync(path, html);
  return openReport(browser, path);
};

describe('report.html in headless Chromium', () => {
  it('renders every figure with a non-zero size, fetches nothing, shows the tables', async () => {
    const input = await reportInput();
    const html = renderReport(input);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const { figures, text, external, errors } = await open(html, 'report.html');
    expect(figures.map((f) => f.alt)).toEqual(input.figures.map((f) => f.title));
    for (const f of figures) {
      expect(f.complete && f.naturalWidth > 0, `${f.alt} loaded`).toBe(true);
      expect(f.width, `${f.alt} width`).toBeGreaterThan(50);
      expect(f.height, `${f.alt} height`).toBeGreaterThan(50);
      expect(f.inked, `${f.alt}: share of drawn (non-white) pixels`).toBeGreaterThan(0.02);
    }
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
    expect(text).toContain('random stratified split of recordings');
    expect(text).toMatch(/macro-F1, male speakers/);
    expect(text).toContain('train.learningRate');
    expect(text).toContain('a'.repeat(64));
    // accuracy 6/8 = 75.0 %, in both the val and test columns
    expect(text).toMatch(/accuracy \(%\)\s+75\.0\s+75\.0/);
    // The interval beside the figure it belongs to (test macro-F1 only, in this input).
    expect(text).toMatch(/macro-F1\s+\d\.\d{3}\s+\d\.\d{3} \[0\.432, 0\.988\]/);
  });

  it('the checks catch a figure that fails to load and one that draws nothing', async () => {
    const input = await reportInput();
    const blank = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><rect width="300" height="200" fill="white"/></svg>';
    const html = renderReport({
      ...input,
      figures: [
        { title: 'broken', svg: '<svg xmlns="http://www.w3.org/2000/svg"><g>' },
        { title: 'blank', svg: blank },
      ],
    });
    const { figures } = await open(html, 'broken.html');
    expect(figures.map((f) => f.alt)).toEqual(['broken', 'blank']);
    expect(figures[0].complete && figures[0].naturalWidth > 0).toBe(false);
    expect(figures[1].naturalWidth).toBe(300);
    expect(figures[1].inked).toBe(0);
  });
});
