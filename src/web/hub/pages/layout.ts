// The frame of every hub page: language, skip link, one h1, the site navigation, the licence footer.
import { escapeHtml } from '../../../core/html.js';

export interface PageOptions {
  title: string;
  /** Relative path to the site root from this page ('' or '../'). */
  root: string;
  /** The page's h1 and everything below it. */
  main: string;
  /** Which navigation item is this page. */
  current?: string;
}

const NAV: readonly (readonly [href: string, label: string])[] = [
  ['index.html', 'England'],
  ['breakdowns.html', 'Breakdowns'],
  ['inequalities.html', 'Inequalities'],
  ['compare.html', 'Compare'],
  ['search.html', 'Find an organisation'],
  ['about.html', 'About the data'],
];

export function page(o: PageOptions): string {
  const nav = NAV.map(([href, label]) => `<li><a href="${o.root}${href}"${o.current === href ? ' aria-current="page"' : ''}>${escapeHtml(label)}</a></li>`).join('');
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)} – NHS Talking Therapies data hub</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="${o.root}assets/hub.css"><script src="${o.root}assets/hub.js" defer></script></head>
<body><a class="skip" href="#main">Skip to main content</a>
<header><p class="site"><a href="${o.root}index.html">NHS Talking Therapies data hub</a></p><nav aria-label="Hub"><ul>${nav}</ul></nav></header>
<main id="main" tabindex="-1">
${o.main}
</main>
<footer><p>Contains public sector information licensed under the <a href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/">Open Government Licence v3.0</a>. Sources: NHS England, NHS Talking Therapies for anxiety and depression annual statistics; this platform's release-checked publications. <a href="${o.root}about.html">About the data</a>.</p></footer>
</body></html>
`;
}
