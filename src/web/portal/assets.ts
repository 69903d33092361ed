// The portal's one stylesheet and one script, served from its own origin (the Content-Security-Policy allows scripts
// from 'self' only). The colours are the NHS palette; every pair meets WCAG 2.2 AA contrast (text #212b32 on white
// 15:1, links #005eb8 7:1, white on #005eb8 6.9:1, the focus ring black on #ffeb3b). The script only improves pages
// that work without it: an upload's progress bar, and following a job until it finishes.

export const PORTAL_CSS = `:root { color: #212b32; background: #ffffff; font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; font-size: 16px; line-height: 1.5; }
body { margin: 0; }
header { background: #005eb8; color: #ffffff; padding: 0.75rem 1.5rem; }
header a, header a:visited { color: #ffffff; }
header .service { font-size: 1.25rem; font-weight: bold; margin: 0 0 0.5rem; }
header nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
header nav a[aria-current="page"] { font-weight: bold; text-decoration-thickness: 3px; }
header .sign-out p { margin: 0.5rem 0 0; }
main, footer { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem; }
footer { border-top: 1px solid #d8dde0; color: #4c6272; font-size: 0.875rem; }
h1 { font-size: 2rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.5rem; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
a { color: #005eb8; }
a:visited { color: #330072; }
.skip { position: absolute; left: -999px; top: 0; background: #ffeb3b; color: #212b32; padding: 0.5rem 1rem; z-index: 1; }
.skip:focus { left: 0.5rem; }
a:focus, button:focus, input:focus, select:focus, summary:focus, main:focus-visible { outline: 4px solid #212b32; outline-offset: 0; box-shadow: 0 0 0 8px #ffeb3b; background-color: #ffeb3b; color: #212b32; }
main:focus { outline: none; box-shadow: none; background: none; }
.wide:focus-visible { outline: 4px solid #212b32; outline-offset: 2px; }
button { font: inherit; background: #007f3b; color: #ffffff; border: 0; border-bottom: 2px solid #00401e; padding: 0.5rem 1rem; cursor: pointer; }
header button { background: #ffffff; color: #005eb8; border-bottom-color: #212b32; padding: 0.15rem 0.75rem; }
label { display: block; font-weight: bold; margin: 1rem 0 0.25rem; }
.hint { color: #4c6272; margin: 0 0 0.5rem; }
input[type="text"], input[type="password"], input[type="month"], select { font: inherit; border: 2px solid #4c6272; padding: 0.3rem 0.5rem; min-width: 20rem; max-width: 100%; }
input[type="file"] { font: inherit; }
form p { margin: 0.75rem 0; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border-bottom: 1px solid #aeb7bd; padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #212b32; }
.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.suppressed { font-style: italic; color: #4c6272; }
.status { border-left: 8px solid #005eb8; background: #eef7ff; padding: 0.75rem 1rem; margin: 1rem 0; }
.status.good { border-color: #007f3b; background: #e6f4ec; }
.status.bad { border-color: #b10e1e; background: #fbe9ea; }
.error-summary { border: 4px solid #b10e1e; padding: 0.75rem 1rem; margin: 1rem 0; }
progress { width: 100%; max-width: 30rem; height: 1.5rem; }
.wide { overflow-x: auto; }
.wide > table { width: 100%; }
`;

export const PORTAL_JS = `// IAPT provider portal: progressive enhancement only; every page works without this file.
'use strict';
(function () {
  // An upload: send the same form with XMLHttpRequest to show its progress, then go to the page the server names.
  var form = document.querySelector('form[data-upload]');
  if (form && window.FormData && window.XMLHttpRequest) {
    form.addEventListener('submit', function (event) {
      var file = form.querySelector('input[type=file]');
      if (!file || !file.files || file.files.length === 0) return;
      event.preventDefault();
      var bar = document.getElementById('upload-progress');
      var said = document.getElementById('upload-status');
      bar.hidden = false;
      form.querySelector('button').disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.upload.addEventListener('progress', function (e) {
        if (!e.lengthComputable) return;
        bar.max = e.total;
        bar.value = e.loaded;
        said.textContent = 'Uploaded ' + Math.round((100 * e.loaded) / e.total) + ' %';
      });
      xhr.addEventListener('load', function () {
        if (xhr.status === 200) { window.location.assign(JSON.parse(xhr.responseText).location); return; }
        document.open(); document.write(xhr.responseText); document.close();
      });
      xhr.addEventListener('error', function () { said.textContent = 'The upload failed: the connection was lost. Try again.'; form.querySelector('button').disabled = false; });
      said.textContent = 'Uploading…';
      xhr.send(new FormData(form));
    });
  }
  // A job's page: ask for its state every second and reload the page when it has finished.
  var job = document.querySelector('[data-job-state]');
  if (job && window.fetch) {
    var follow = function () {
      fetch(job.getAttribute('data-job-state'), { headers: { accept: 'application/json' } })
        .then(function (r) { return r.json(); })
        .then(function (state) {
          if (state.status === 'succeeded' || state.status === 'failed') { window.location.reload(); return; }
          job.textContent = 'The job is ' + state.status + '…';
          setTimeout(follow, 1000);
        })
        .catch(function () { setTimeout(follow, 3000); });
    };
    setTimeout(follow, 500);
  }
})();
`;
