/** The page's router: `#/` runs, `#/run/<id>`, `#/compare/<id>,<id>…`, `#/try[/<id>]`. */
import { compareView } from './compare-view.ts';
import { h, show } from './dom.ts';
import { runView } from './run-view.ts';
import { runsView } from './runs-view.ts';
import { tryView } from './try-view.ts';

const ROUTES: [RegExp, (m: RegExpMatchArray) => Promise<void>][] = [
  [/^#\/run\/([^/]+)$/, (m) => runView(decodeURIComponent(m[1]))],
  [/^#\/compare\/(.+)$/, (m) => compareView(m[1].split(',').map(decodeURIComponent))],
  [/^#\/try(?:\/([^/]+))?$/, (m) => tryView(m[1] && decodeURIComponent(m[1]))],
  [/^/, () => runsView()],
];

async function route(): Promise<void> {
  const [pattern, view] = ROUTES.find(([p]) => p.test(location.hash))!;
  try {
    await view(location.hash.match(pattern)!);
  } catch (e) {
    show(h('p', { class: 'error' }, (e as Error).message));
  }
}

window.addEventListener('hashchange', () => void route());
void route();
