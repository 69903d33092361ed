// About the data: the sources and their licences, and the disclosure rule every suppressed cell links to.
import { escapeHtml } from '../../../core/html.js';
import { THRESHOLDS } from '../../../measures/disclosure/policy.js';
import type { SiteWriter } from '../site.js';
import { page } from './layout.js';

export function aboutPage(site: SiteWriter, publications: readonly string[]): void {
  const round = THRESHOLDS['nhs-tt'].roundTo;
  site.write(
    'about.html',
    page({
      title: 'About the data',
      root: '',
      current: 'about.html',
      main: `<h1>About the data</h1>
<h2 id="sources">Sources</h2>
<ul>
<li><strong>NHS England annual statistics, 2017-18 to 2024-25</strong>: the annual reports of NHS Talking Therapies for anxiety and depression (published by NHS Digital, then NHS England), as tidied by the nhstt package of the Bennett Institute for Applied Data Science (bennettoxford/nhstt). Nine measures for England, commissioning regions, STPs and ICBs, CCGs and providers, by year and by breakdown. Open Government Licence v3.0.</li>
<li><strong>This platform's publications</strong>${publications.length ? `: ${escapeHtml(publications.join('; '))}` : ' (none in this build)'}: months, quarters and years published by <code>iapt publish</code>, each file release-checked against the disclosure rule below before it was published. Only these files are read: never a submission or a record-level table.</li>
</ul>
<p>Contains public sector information licensed under the Open Government Licence v3.0.</p>
<h2 id="disclosure">How figures are suppressed and rounded</h2>
<p>So that no one can be identified from the figures, NHS England's rule (and this platform's) is:</p>
<ul>
<li>England's figures are not rounded.</li>
<li>Below England (regions, ICBs, sub-ICB locations, providers), a count under 5, including 0, is not published: it is shown as <abbr title="suppressed to protect confidentiality">*</abbr> <strong>suppressed</strong>. It is not a zero. Other counts are rounded to the nearest ${round}.</li>
<li>Percentages are worked out from the unrounded counts, and are suppressed when the count they are made of is suppressed or when fewer than 5 people are in the group they are a percentage of. England's percentages are given to one decimal place, the others as whole numbers.</li>
<li>"Not available" means the source does not publish that figure for that row (NHS England's "NULL"), or has no row for it.</li>
</ul>
<p>In charts a suppressed or unavailable value is a gap in the line, never a zero; the table under each chart shows which.</p>
<h2 id="accessibility">Accessibility</h2>
<p>Every chart has its numbers in a table beneath it and as a CSV file. The pages work without JavaScript; the search and the compare view use it when it is there.</p>`,
    }),
  );
}
