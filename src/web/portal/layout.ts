// The page every portal page is: lang, a skip link, a header naming the caller with the pages of their role and a
// sign-out form, one h1 (the page's own headings follow it in order), the small stylesheet and script of
// src/web/portal/assets.ts — no inline script or style, so the API's Content-Security-Policy holds as it is.
import { h, type Markup } from './html.js';
import type { Role } from '../../store/access.js';
import type { Session } from './sessions.js';

export const PORTAL = '/portal';

/** The pages of each role, in the order of the navigation. */
export const PAGES_OF_ROLE: Readonly<Record<Role, readonly [string, string][]>> = {
  provider: [
    ['/', 'Home'],
    ['/upload', 'Upload'],
    ['/submissions', 'Submissions'],
    ['/data-quality', 'Data quality'],
    ['/extracts', 'Extracts'],
    ['/benchmark', 'Benchmarking'],
  ],
  commissioner: [
    ['/', 'Home'],
    ['/commissioner', 'Dashboard'],
    ['/commissioner/extracts', 'Extracts'],
  ],
  analyst: [
    ['/', 'Home'],
    ['/national-data-quality', 'National data quality'],
  ],
  researcher: [
    ['/', 'Home'],
    ['/releases', 'Research releases'],
  ],
  auditor: [
    ['/', 'Home'],
    ['/audit', 'Audit trail'],
  ],
  admin: [['/', 'Home']],
};

export interface PageOptions {
  title: string;
  session: Session | null;
  /** The navigation entry to mark as the current page. */
  current?: string;
}

export function page(options: PageOptions, body: Markup): string {
  const { session } = options;
  const nav = session
    ? h`<nav aria-label="Portal pages"><ul>${PAGES_OF_ROLE[session.caller.role].map(([path, label]) => h`<li><a href="${PORTAL + path}"${options.current === path ? h` aria-current="page"` : ''}>${label}</a></li>`)}</ul></nav>
<form class="sign-out" method="post" action="${PORTAL}/sign-out"><input type="hidden" name="csrf" value="${session.csrf}"><p>Signed in as <strong>${session.caller.name}</strong> (${session.caller.role}${session.caller.org ? h`, ${session.caller.org}` : ''}) <button type="submit">Sign out</button></p></form>`
    : '';
  return h`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} — IAPT provider portal</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${PORTAL}/assets/portal.css">
<script src="${PORTAL}/assets/portal.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header><p class="service"><a href="${PORTAL}/">IAPT provider portal</a></p>${nav}</header>
<main id="main" tabindex="-1">
<h1>${options.title}</h1>
${body}
</main>
<footer><p>NHS Talking Therapies (IAPT) Data Set v2.1. Every figure here comes from the service's API, as your role allows.</p></footer>
</body>
</html>
`.text;
}

/**
 * A table with a caption and column headers; cells are markup or text. It sits in a region that scrolls sideways on
 * a narrow screen, focusable and named by the caption so that a keyboard can scroll it too (WCAG 2.1.1).
 */
export function table(caption: string, head: readonly string[], rows: readonly (readonly (Markup | string | number)[])[], numeric: readonly number[] = []): Markup {
  if (rows.length === 0) return h`<p>${caption}: none.</p>`;
  const cls = (i: number) => (numeric.includes(i) ? h` class="n"` : '');
  return h`<div class="wide" role="region" aria-label="${caption}" tabindex="0"><table><caption>${caption}</caption><thead><tr>${head.map((c, i) => h`<th scope="col"${cls(i)}>${c}</th>`)}</tr></thead><tbody>${rows.map(
    (r) => h`<tr>${r.map((c, i) => (i === 0 ? h`<th scope="row"${cls(i)}>${c}</th>` : h`<td${cls(i)}>${c}</td>`))}</tr>`,
  )}</tbody></table></div>`;
}
