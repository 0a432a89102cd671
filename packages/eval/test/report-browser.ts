/**
 * A report.html opened in headless Chromium (Debian's `chromium` package, installed here if
 * missing): every image's load state, rendered box and share of drawn pixels, the page text, and
 * any request that left the file (there must be none). Shared by the report tests and the e2e runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    execFileSync('flock', ['/tmp/apt.lock', 'sh', '-c', 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium'], {
      stdio: 'inherit',
    });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface FigureState {
  alt: string;
  complete: boolean;
  naturalWidth: number;
  width: number;
  height: number;
  /** Share of pixels that are not near-white when the image is drawn onto a canvas. */
  inked: number;
}

/** Load the report file at `path` and read back every image's load state and rendered box. */
export async function openReport(browser: Browser, path: string) {
  const page = await browser.newPage();
  const external: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (!/^(file|data):/.test(r.url())) external.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  const figures: FigureState[] = await page.$$eval('img', (imgs) =>
    imgs.map((img) => {
      const box = img.getBoundingClientRect();
      const canvas = img.ownerDocument.createElement('canvas');
      canvas.width = Math.max(1, img.naturalWidth);
      canvas.height = Math.max(1, img.naturalHeight);
      const g = canvas.getContext('2d')!;
      let inked = 0;
      if (img.naturalWidth > 0) {
        g.drawImage(img, 0, 0);
        const px = g.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && px[i] + px[i + 1] + px[i + 2] < 600) inked++;
        inked /= canvas.width * canvas.height;
      }
      return { alt: img.alt, complete: img.complete, naturalWidth: img.naturalWidth, width: box.width, height: box.height, inked };
    }),
  );
  const text = await page.innerText('body');
  await page.close();
  return { figures, text, external, errors };
}
