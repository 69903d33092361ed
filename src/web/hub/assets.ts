// The hub's one stylesheet and one script. The script only improves pages that work without it: the search
// filters the A–Z list's index as you type, and the compare view builds its tables from per-organisation JSON,
// keeping the chosen organisations in the address (?orgs=) so that a comparison can be bookmarked or shared.

export const HUB_CSS = `*{box-sizing:border-box}
body{font-family:Arial,"Helvetica Neue",Helvetica,sans-serif;color:#212b32;background:#fff;margin:0;line-height:1.5}
a{color:#005eb8}a:visited{color:#330072}
a:focus,button:focus,input:focus,select:focus,main:focus-visible,summary:focus{outline:3px solid #ffeb3b;outline-offset:0;box-shadow:0 4px 0 #212b32;background-color:#ffeb3b;color:#212b32}
main:focus{outline:none;box-shadow:none;background:none}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;padding:.5rem;z-index:2}
header{background:#005eb8;color:#fff;padding:.5rem 1rem}header a,header a:visited{color:#fff}
header .site{margin:0;font-weight:bold;font-size:1.2rem}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
nav a[aria-current]{font-weight:bold}
main{max-width:60rem;margin:0 auto;padding:1rem}
footer{border-top:1px solid #d8dde0;padding:1rem;font-size:.9rem;color:#4c6272;max-width:60rem;margin:0 auto}
h1{font-size:2rem;margin:.5rem 0}h2{font-size:1.5rem;margin-top:2rem}h3{font-size:1.2rem}
.lede{font-size:1.1rem}.note,.legend{color:#4c6272;font-size:.95rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0 1rem;min-width:50%}
caption{text-align:left;font-weight:bold;padding:.25rem 0}
th,td{border-bottom:1px solid #d8dde0;padding:.35rem .6rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.sup abbr,td.sup .sup-label{color:#8a1538;font-weight:bold}td.na{color:#4c6272}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
.csv{font-size:.95rem}
ul.orgs{columns:2;padding-left:1.2rem}
form[hidden],[hidden]{display:none}
label{display:block;font-weight:bold;margin:.5rem 0 .25rem}
input[type=search],input[type=text]{font-size:1rem;padding:.4rem;border:2px solid #212b32;width:min(30rem,100%)}
button{font-size:1rem;padding:.4rem .8rem;border:2px solid #005eb8;background:#005eb8;color:#fff;cursor:pointer;margin:.25rem .25rem .25rem 0}
button.secondary{background:#fff;color:#005eb8}
.chosen{list-style:none;padding:0}.chosen li{margin:.25rem 0}
`;

export const HUB_JS = `'use strict';
(function () {
  function base() { var s = document.querySelector('script[src$="assets/hub.js"]'); return s ? s.getAttribute('src').replace(/assets\\/hub\\.js$/, '') : ''; }
  var prefix = base();
  function loadIndex() { return fetch(prefix + 'search-index.json').then(function (r) { return r.json(); }); }
  function norm(s) { return String(s).toLowerCase().normalize('NFKD').replace(/[^a-z0-9 ]/g, ''); }
  function matches(index, q) {
    var n = norm(q).trim(); if (!n) return [];
    return index.filter(function (o) { return norm(o.name).indexOf(n) >= 0 || norm(o.code) === n || norm(o.code).indexOf(n) === 0; }).slice(0, 50);
  }
  function text(el, t) { el.textContent = t; return el; }

  var search = document.getElementById('hub-search');
  if (search) {
    search.hidden = false;
    var input = document.getElementById('q'), list = document.getElementById('results'), status = document.getElementById('search-status');
    loadIndex().then(function (index) {
      function show() {
        var found = matches(index, input.value);
        list.innerHTML = '';
        found.forEach(function (o) {
          var li = document.createElement('li'), a = document.createElement('a');
          a.href = prefix + o.url; text(a, o.name + ' (' + o.code + ')'); li.appendChild(a);
          li.appendChild(document.createTextNode(' – ' + o.levelName)); list.appendChild(li);
        });
        text(status, input.value.trim() ? found.length + (found.length === 1 ? ' organisation matches' : ' organisations match') : '');
      }
      input.addEventListener('input', show);
      search.addEventListener('submit', function (e) { e.preventDefault(); show(); var first = list.querySelector('a'); if (first) first.focus(); });
      if (input.value) show();
    });
  }

  var compare = document.getElementById('hub-compare');
  if (compare) {
    compare.hidden = false;
    var cinput = document.getElementById('org'), options = document.getElementById('org-options'), chosenList = document.getElementById('chosen');
    var cstatus = document.getElementById('compare-status'), out = document.getElementById('compare-tables');
    var chosen = [], MAX = 5;
    loadIndex().then(function (index) {
      index.forEach(function (o) { var opt = document.createElement('option'); opt.value = o.name + ' (' + o.code + ')'; options.appendChild(opt); });
      function find(v) {
        var m = /\\(([^()]+)\\)\\s*$/.exec(v), code = m ? m[1] : v.trim();
        var exact = index.filter(function (o) { return o.code.toLowerCase() === code.toLowerCase() || norm(o.name) === norm(v); });
        if (exact.length) return exact[0];
        var some = matches(index, v); return some.length === 1 ? some[0] : null;
      }
      function render() {
        chosenList.innerHTML = '';
        chosen.forEach(function (c, i) {
          var li = document.createElement('li'), b = document.createElement('button');
          b.type = 'button'; b.className = 'secondary'; text(b, 'Remove ' + c.name);
          b.addEventListener('click', function () { chosen.splice(i, 1); render(); text(cstatus, c.name + ' removed.'); cinput.focus(); });
          li.appendChild(document.createTextNode(c.name + ' (' + c.code + ') ')); li.appendChild(b); chosenList.appendChild(li);
        });
        out.innerHTML = chosen.length ? tables(chosen) : '';
        remember();
      }
      // The choice is kept in the address (?orgs=KEY,KEY), so a comparison can be bookmarked and shared.
      function remember() {
        var keys = chosen.map(function (c) { return c.key; });
        try { history.replaceState(null, '', location.pathname + (keys.length ? '?orgs=' + keys.map(encodeURIComponent).join(',') : '') + location.hash); } catch (e) { /* a page opened from disk may refuse */ }
      }
      function add(o, done) {
        return fetch(prefix + o.data).then(function (r) { return r.json(); }).then(function (d) { chosen.push(d); done(d); });
      }
      function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
      function cell(v, pct) {
        if (v === '*') return '<td class="n sup"><abbr title="suppressed to protect confidentiality">*</abbr> <span class="sup-label">suppressed</span></td>';
        if (v === undefined || v === null || v === '' || isNaN(Number(v))) return '<td class="n na">not available</td>';
        return '<td class="n">' + esc(pct ? v : Number(v).toLocaleString('en-GB')) + '</td>';
      }
      function tables(cs) {
        var head = '<tr><th scope="col">Measure</th>' + cs.map(function (c) { return '<th scope="col">' + esc(c.name) + '</th>'; }).join('') + '</tr>';
        var ends = {};
        cs.forEach(function (c) { c.years.forEach(function (y) { ends[y[0]] = y[1]; }); });
        var periods = Object.keys(ends).sort(function (a, b) { return ends[a] < ends[b] ? -1 : ends[a] > ends[b] ? 1 : a < b ? -1 : 1; });
        var latest = periods[periods.length - 1];
        var measures = cs[0].measures;
        var rows = measures.map(function (m) {
          return '<tr><th scope="row">' + esc(m.label) + '</th>' + cs.map(function (c) { var x = c.values[m.id] || {}; return cell(x[latest], m.statistic === 'percentage'); }).join('') + '</tr>';
        }).join('');
        var trend = periods.map(function (p) {
          return '<tr><th scope="row">' + esc(p) + '</th>' + cs.map(function (c) { var x = c.values.M192 || {}; return cell(x[p], true); }).join('') + '</tr>';
        }).join('');
        var legend = '<p class="legend"><abbr title="suppressed to protect confidentiality">*</abbr> suppressed: too few people to publish safely, not zero. <a href="' + prefix + 'about.html#disclosure">How figures are suppressed and rounded</a>.</p>';
        return '<h2>Headline measures, ' + esc(latest) + '</h2><div class="table-wrap" role="region" tabindex="0" aria-label="Headline measures (table)"><table id="compare-latest"><caption>Headline measures of the chosen organisations, ' + esc(latest) + ' </caption><thead>' + head + '</thead><tbody>' + rows + '</tbody></table></div>' +
          '<h2>Recovery rate by year</h2><div class="table-wrap" role="region" tabindex="0" aria-label="Recovery rate by year (table)"><table id="compare-trend"><caption>Recovery rate (%) of the chosen organisations by year</caption><thead>' + head.replace('Measure', 'Year') + '</thead><tbody>' + trend + '</tbody></table></div>' + legend;
      }
      compare.addEventListener('submit', function (e) {
        e.preventDefault();
        var o = find(cinput.value);
        if (!o) { text(cstatus, 'No single organisation matches "' + cinput.value + '": type more of its name or its code.'); return; }
        if (chosen.some(function (c) { return c.key === o.key; })) { text(cstatus, o.name + ' is already chosen.'); return; }
        if (chosen.length >= MAX) { text(cstatus, 'You can compare up to ' + MAX + ' organisations: remove one first.'); return; }
        add(o, function (d) { render(); cinput.value = ''; text(cstatus, d.name + ' added (' + chosen.length + ' of ' + MAX + ').'); });
      });
      var linked = (new URLSearchParams(location.search).get('orgs') || '').split(',').filter(Boolean).slice(0, MAX);
      var known = linked.map(function (k) { return index.filter(function (o) { return o.key === k; })[0]; }).filter(Boolean);
      if (linked.length) {
        known.reduce(function (p, o) { return p.then(function () { return add(o, function () {}); }); }, Promise.resolve()).then(function () {
          render();
          text(cstatus, known.length + ' of the ' + linked.length + ' organisations in the link chosen' + (known.length < linked.length ? ': the others are not in this hub.' : '.'));
        });
      }
    });
  }
})();
`;
