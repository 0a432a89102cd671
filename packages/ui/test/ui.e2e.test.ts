/**
 * `ser ui` in headless Chromium (Debian's, through playwright-core, as the report test) over a small
 * real workspace: RAVDESS actors 01 and 02, two recorded runs that differ in train.learningRate
 * (2 epochs each, so the learning curves are lines, not single points). The page's requests are all
 * recorded: none may go anywhere but the server. Requests for paths outside data/runs are checked
 * with raw HTTP too, where no client normalises `..` away.
 */
import { request } from 'node:http';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGED_RATE, DEFAULT_RATE, REPO, copyWorkspace, literal, quickPipeline, restoreActors, type Workspace } from '../../cli/test/workspace.ts';

const CHROMIUM = '/usr/bin/chromium';
const CLIP = '03-01-05-01-01-01-01';
/** Page probabilities against `ser predict --json`, which prints 4 decimals. */
const PROBABILITY_TOLERANCE = 1e-4;
/** Where the README's screenshots go when SER_UI_DOCS=1 (otherwise a temp folder). */
const DOCS = join(REPO, 'packages/ui/docs');

let ws: Workspace;
let server: ReturnType<Workspace['serAsync']>;
let url: string;
let browser: Browser;
let context: BrowserContext;
let wav: string;
let flac: string;
let runIds: string[];
let shots: string;
/** Every URL any page of the context requested. */
const requested: string[] = [];
const pageErrors: string[] = [];

function runPipeline(...set: string[]) {
  const { code, output } = ws.ser(['run', ...set.flatMap((s) => ['--set', s])]);
  if (code !== 0) throw new Error(`ser run ${set.join(' ')} failed (${code}):\n${output.slice(-4000)}`);
}

/** `ser ui --port 0` in the background; resolves with the URL it prints. */
function startServer(): Promise<string> {
  server = ws.serAsync(['ui', '--port', '0']);
  return new Promise((resolve, reject) => {
    let text = '';
    const look = (c: Buffer) => {
      text += c;
      const m = /ser ui: (http:\/\/\S+)/.exec(text);
      if (m) resolve(m[1]);
    };
    server.stdout!.on('data', look);
    server.stderr!.on('data', look);
    server.on('exit', (code) => reject(new Error(`ser ui exited with ${code}:\n${text}`)));
  });
}

beforeAll(async () => {
  const ravdess = restoreActors(['01', '02']);
  wav = join(ravdess, 'Actor_01', `${CLIP}.wav`);
  flac = join(REPO, '../shared/datasets/ravdess/Actor_01', `${CLIP}.flac`);
  ws = copyWorkspace((yaml) => quickPipeline(yaml, ravdess, 2));
  runPipeline();
  runPipeline(`train.learningRate=${CHANGED_RATE}`);
  runIds = JSON.parse(ws.ser(['exp', 'show', '--json']).output).map((r: { id: string }) => r.id);
  url = await startServer();
  shots = process.env.SER_UI_DOCS === '1' ? (mkdirSync(DOCS, { recursive: true }), DOCS) : mkdtempSync(join(tmpdir(), 'ser-ui-shots-'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // The microphone: the clip's WAV played as the capture device, permission granted.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}`,
    ],
  });
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.grantPermissions(['microphone'], { origin: new URL(url).origin });
  context.on('request', (r) => requested.push(r.url()));
  context.on('weberror', (e) => pageErrors.push(e.error().message));
}, 900_000);

afterAll(async () => {
  await browser?.close();
  server?.kill();
});

async function open(hash: string): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(`${hash}: ${m.text()}`));
  await page.goto(`${url}${hash}`);
  return page;
}

/** Wait until every chart on the page is drawn; return their names. */
async function chartsDrawn(page: Page, count: number): Promise<string[]> {
  await page.waitForFunction((n) => document.querySelectorAll('[data-chart][data-drawn]').length >= n, count, { timeout: 30_000 });
  return page.$$eval('[data-chart]', (els) => els.map((e) => e.getAttribute('data-chart')!));
}

/**
 * Share of a chart's pixels that are not background (near-white), from a screenshot of its element,
 * decoded in the page by drawing it onto a canvas (as the report test measures its figures).
 */
async function inkedShare(page: Page, name: string): Promise<number> {
  const png = await page.locator(`[data-chart="${name}"]`).screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight];
    const g = canvas.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const px = g.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] + px[i + 1] + px[i + 2] < 600) inked++;
    return inked / (canvas.width * canvas.height);
  }, png.toString('base64'));
}

async function expectChartsInked(page: Page, names: string[]) {
  for (const name of names) expect(await inkedShare(page, name), `${name}: share of drawn pixels`).toBeGreaterThan(0.02);
}

/** The probabilities `ser predict --json` gives each file. */
function predicted(...files: string[]): Record<string, number>[] {
  const { code, output } = ws.ser(['predict', ...files, '--json']);
  expect(code, output).toBe(0);
  return JSON.parse(output.slice(output.indexOf('{'))).predictions.map((p: { probabilities: Record<string, number> }) => p.probabilities);
}

/** Upload `file` on the try-it page and read back the page's probabilities. */
async function predictInPage(page: Page, file: string): Promise<Record<string, number>> {
  await page.setInputFiles('[data-role=file]', file);
  const name = file.slice(file.lastIndexOf('/') + 1);
  const result = page.locator(`[data-role=prediction][data-source="${name}"]`);
  await result.waitFor({ timeout: 60_000 });
  return JSON.parse((await result.getAttribute('data-probabilities'))!);
}

function expectClose(page: Record<string, number>, cli: Record<string, number>) {
  expect(Object.keys(page)).toEqual(Object.keys(cli));
  for (const [emotion, p] of Object.entries(cli)) expect(Math.abs(page[emotion] - p), emotion).toBeLessThanOrEqual(PROBABILITY_TOLERANCE);
}

/** GET (or another method) with the path sent exactly as written: no `..` resolution, no re-encoding. */
function rawRequest(path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ser ui', () => {
  it('listens on 127.0.0.1 by default', () => {
    expect(new URL(url).hostname).toBe('127.0.0.1');
  });

  it('the runs table lists the recorded runs, sorts by a metric and filters by a param value', async () => {
    const page = await open('#/');
    const rows = page.locator('[data-role=runs] tbody tr');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run')))).toEqual(runIds);
    const headers = await page.$$eval('[data-role=runs] th', (ths) => ths.map((th) => th.textContent));
    expect(headers).toEqual(['', 'id', 'created', 'train.learningRate', 'test.macroF1', 'test.accuracy', 'test.balancedAccuracy', 'val.macroF1']);
    // Sorted by val.macroF1, high to low, as `ser exp show --sort val.macroF1` sorts.
    await page.click('th:text-is("val.macroF1")');
    await page.waitForSelector('th.sorted:text-is("val.macroF1")');
    const sorted = JSON.parse(ws.ser(['exp', 'show', '--sort', 'val.macroF1', '--json']).output).map((r: { id: string }) => r.id);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run')))).toEqual(sorted);
    await page.selectOption('[data-role=filter]', `train.learningRate=${CHANGED_RATE}`);
    await page.waitForFunction(() => document.querySelectorAll('[data-role=runs] tbody tr').length === 1);
    expect(await rows.getAttribute('data-run')).toBe(runIds[1]);
    await page.close();
  });

  it('a run page shows metrics, per-class scores, confusion matrices, learning curves, hashes and why each stage ran', async () => {
    const page = await open(`#/run/${runIds[1]}`);
    const charts = await chartsDrawn(page, 5);
    expect(charts).toEqual(['confusion-val-counts', 'confusion-val-normalised', 'confusion-test-counts', 'confusion-test-normalised', 'learning-curves']);
    await expectChartsInked(page, charts);
    const text = await page.innerText('main');
    expect(text).toMatch(/macro-F1, male speakers/);
    expect(text).toMatch(new RegExp(String.raw`train\s+ran in [\d.]+ s\s+param train\.learningRate: ${literal(DEFAULT_RATE)} → ${literal(CHANGED_RATE)}`));
    expect(text).toMatch(/ingest\s+from cache\s+up to date/);
    expect(text).toContain(ws.readJson(`data/runs/${runIds[1]}.json`).dataset.hash);
    await page.close();
  });

  it("the compare view shows the param diff, metric deltas, both runs' learning curves and confusion matrices", async () => {
    const page = await open('#/');
    await page.locator('[data-role=runs] tbody tr').first().waitFor();
    for (const id of runIds) await page.check(`input[data-run="${id}"]`);
    await page.click('[data-role=compare]');
    const charts = await chartsDrawn(page, 3);
    expect(charts).toEqual(['compare-curves', ...runIds.map((id) => `confusion-${id}`)]);
    await expectChartsInked(page, charts);
    // One line per run and split in each panel: 2 runs × (train, validation) × (loss, accuracy).
    expect(await page.locator('[data-chart=compare-curves] path[aria-roledescription="line mark"]').count()).toBe(8);
    const legend = await page.locator('[data-chart=compare-curves] [aria-roledescription=legend]').first().textContent();
    for (const id of runIds) expect(legend).toContain(id);
    const text = await page.innerText('main');
    expect(text).toMatch(new RegExp(String.raw`train\.learningRate\s+${literal(DEFAULT_RATE)}\s+${literal(CHANGED_RATE)}`));
    const diff = JSON.parse(ws.ser(['exp', 'diff', ...runIds, '--json']).output);
    const f1 = diff.metrics.find((m: { key: string }) => m.key === 'test.macroF1');
    // B's value, its bootstrap interval (metrics.json's summary), and the delta from A.
    const [lo, hi] = ws.readJson(`data/runs/${runIds[1]}.json`).metrics.summary['test.macroF1'].ci95 as number[];
    expect(text).toContain(`${f1.b.toFixed(4)} [${lo.toFixed(3)}, ${hi.toFixed(3)}] (${f1.delta >= 0 ? '+' : ''}${f1.delta.toFixed(4)})`);
    await page.locator('main').screenshot({ path: join(shots, 'compare.png') });
    await page.close();
  });

  it('try it: an uploaded RAVDESS WAV and its FLAC predict what ser predict predicts', async () => {
    const [cliWav, cliFlac] = predicted(wav, flac);
    const page = await open('#/try');
    await page.waitForSelector('[data-role=status]:text("ready")', { timeout: 60_000 });
    expectClose(await predictInPage(page, wav), cliWav);
    expectClose(await predictInPage(page, flac), cliFlac);
    await expectChartsInked(page, await chartsDrawn(page, 1));
    await page.locator('main').screenshot({ path: join(shots, 'try-it.png') });
    await page.close();
  });

  it('try it: a recording through the (fake) microphone gives a prediction', async () => {
    const page = await open('#/try');
    await page.waitForSelector('[data-role=status]:text("ready")', { timeout: 60_000 });
    await page.click('[data-role=record]');
    await page.waitForSelector('[data-role=status]:text("recording")');
    await page.waitForTimeout(3000);
    await page.click('[data-role=record]');
    const result = page.locator('[data-role=prediction][data-source=microphone]');
    await result.waitFor({ timeout: 60_000 });
    const probabilities = JSON.parse((await result.getAttribute('data-probabilities'))!);
    expect(Object.keys(probabilities)).toHaveLength(8);
    expect(Object.values(probabilities as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(await result.innerText()).toMatch(/source \d+ Hz × 1 ch/);
    await page.close();
  });

  it('paths outside data/runs are 404: `..`, encoded `%2e%2e` and `%2f`, absolute paths, symlinks out', async () => {
    const runs = join(ws.root, 'data/runs');
    symlinkSync(ws.root, join(runs, 'workspace-link'));
    symlinkSync('/etc/hostname', join(runs, 'hostname-link'));
    copyFileSync(join(ws.root, 'pipeline.yaml'), join(runs, runIds[0], 'inside.yaml'));
    expect((await rawRequest(`/runs/${runIds[0]}/train/model.json`)).status).toBe(200);
    expect((await rawRequest(`/runs/${runIds[0]}/inside.yaml`)).status).toBe(200);
    for (const path of [
      '/runs/../pipeline.yaml',
      '/runs/../../pipeline.yaml',
      `/runs/${runIds[0]}/../../../pipeline.yaml`,
      '/runs/%2e%2e/%2e%2e/pipeline.yaml',
      '/runs/%2E%2E/%2E%2E/pipeline.yaml',
      '/runs/..%2f..%2fpipeline.yaml',
      '/runs/%2e%2e%2f%2e%2e%2fpipeline.yaml',
      '/runs//etc/passwd',
      '/runs/%2fetc%2fpasswd',
      '/runs/workspace-link/pipeline.yaml',
      '/runs/hostname-link',
      '/runs/%00',
      '/../pipeline.yaml',
      '/assets/../../pipeline.yaml',
    ]) {
      const { status, body } = await rawRequest(path);
      expect(status, path).toBe(404);
      expect(body, path).not.toMatch(/stages:|root:/);
    }
    const page = await context.newPage();
    expect((await page.goto(`${url}runs/%2e%2e/%2e%2e/pipeline.yaml`))!.status()).toBe(404);
    await page.close();
  });

  it('is read-only: GET and HEAD only', async () => {
    expect((await rawRequest('/api/runs', 'HEAD')).status).toBe(200);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) expect((await rawRequest(`/runs/${runIds[0]}/train/model.json`, method)).status, method).toBe(405);
  });

  it('no page requested anything from any host but the server, and no page reported an error', () => {
    const origin = new URL(url).origin;
    expect(requested.length).toBeGreaterThan(20);
    expect(requested.filter((u) => !u.startsWith(`${origin}/`) && !/^(data|blob):/.test(u))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
