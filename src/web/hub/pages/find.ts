// Finding organisations: the search (a form the script brings to life over the static index) above the A–Z list
// every visitor gets, and the compare view for up to five organisations (script only; without it, it says so and
// points to the pages it would compare).
import { escapeHtml } from '../../../core/html.js';
import type { IndexEntry } from '../search.js';
import type { SiteWriter } from '../site.js';
import { page } from './layout.js';

function azList(entries: readonly IndexEntry[]): string {
  const sorted = [...entries].sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || a.code.localeCompare(b.code));
  const byLetter = new Map<string, IndexEntry[]>();
  for (const e of sorted) {
    const letter = /^[a-z]/i.test(e.name) ? e.name[0]!.toUpperCase() : '#';
    byLetter.set(letter, [...(byLetter.get(letter) ?? []), e]);
  }
  const letters = [...byLetter.keys()];
  return `<h2 id="a-z">Organisations A to Z</h2>
<nav aria-label="Letters"><ul>${letters.map((l) => `<li><a href="#letter-${l === '#' ? 'other' : l}">${l === '#' ? 'Other' : l}</a></li>`).join('')}</ul></nav>
${letters
  .map(
    (l) =>
      `<h3 id="letter-${l === '#' ? 'other' : l}">${l === '#' ? 'Other' : l}</h3><ul class="orgs">${byLetter
        .get(l)!
        .map((e) => `<li><a href="${escapeHtml(e.url)}">${escapeHtml(e.name)}</a> <span class="note">${escapeHtml(e.code)}, ${escapeHtml(e.levelName)}</span></li>`)
        .join('')}</ul>`,
  )
  .join('\n')}`;
}

export function searchPage(site: SiteWriter, entries: readonly IndexEntry[]): void {
  site.write(
    'search.html',
    page({
      title: 'Find an organisation',
      root: '',
      current: 'search.html',
      main: `<h1>Find an organisation</h1>
<p class="lede">Every region, integrated care board (and STP before it), sub-ICB location (and CCG before it) and provider in the published figures.</p>
<form id="hub-search" role="search" hidden>
<label for="q">Organisation name or code</label>
<input type="search" id="q" name="q" autocomplete="off" aria-describedby="q-hint"> <button type="submit">Search</button>
<p id="q-hint" class="note">Results appear as you type; press Enter to go to the first result.</p>
<p id="search-status" role="status" aria-live="polite"></p>
<ul id="results"></ul>
</form>
${azList(entries)}`,
    }),
  );
}

export function comparePage(site: SiteWriter): void {
  site.write(
    'compare.html',
    page({
      title: 'Compare organisations',
      root: '',
      current: 'compare.html',
      main: `<h1>Compare organisations</h1>
<p class="lede">Put up to five organisations side by side: their headline measures in the latest year and their recovery rates by year.</p>
<noscript><p>Comparing needs JavaScript, which is off in this browser. Each organisation's page shows its figures against England's: <a href="search.html#a-z">find the organisations in the A to Z list</a>.</p></noscript>
<form id="hub-compare" hidden>
<label for="org">Add an organisation (name or code)</label>
<input type="text" id="org" name="org" list="org-options" autocomplete="off" aria-describedby="org-hint"> <button type="submit">Add</button>
<datalist id="org-options"></datalist>
<p id="org-hint" class="note">Type a name or code and press Enter. Up to five.</p>
<p id="compare-status" role="status" aria-live="polite"></p>
<ul id="chosen" class="chosen" aria-label="Chosen organisations"></ul>
</form>
<div id="compare-tables"></div>`,
    }),
  );
}
