// The SQL console: CodeMirror for the statement, the guarded /api/sql to run it (the
// Cancel button aborts the request, and the server then stops the statement), a paged
// result table, a quick chart, history, saved queries and exports. Every value is inserted
// as text, never as markup.
(function () {
  'use strict';
  var labels = JSON.parse(document.getElementById('labels').textContent);
  function L(key) { return labels[key] || key; }
  var root = document.getElementById('console');
  var csrf = root.getAttribute('data-csrf');
  var editor = CodeMirror.fromTextArea(document.getElementById('sql'), { mode: 'text/x-sql', lineNumbers: true });
  // CodeMirror types into a hidden textarea of its own and scrolls in a box of its own: name
  // the one and let the keyboard reach the other.
  editor.getInputField().setAttribute('aria-label', L('sql_statement'));
  editor.getScrollerElement().setAttribute('tabindex', '0');
  editor.getScrollerElement().setAttribute('aria-label', L('sql_statement'));
  var status = document.getElementById('status');
  var result = { columns: [], rows: [] }, page = 0, perPage = 100, inFlight = null;

  function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
  // The page's language, asked of the API so that refusals and limits are said in it.
  var langQuery = document.documentElement.lang === 'en' ? '?lang=en' : '';
  function post(url, body, signal) {
    return fetch(url, { method: 'POST', signal: signal, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(body) });
  }

  function render() {
    var box = document.getElementById('result');
    box.textContent = '';
    var table = el('table'); table.id = 'result-table'; table.className = 'sortable';
    var head = el('tr');
    result.columns.forEach(function (c) { var th = el('th', c.name); th.title = c.type; head.appendChild(th); });
    table.appendChild(el('thead')).appendChild(head);
    var body = table.appendChild(el('tbody'));
    result.rows.slice(page * perPage, (page + 1) * perPage).forEach(function (r) {
      var tr = el('tr');
      r.forEach(function (v) { tr.appendChild(el('td', v === null ? 'NULL' : (typeof v === 'object' ? JSON.stringify(v) : String(v)))); });
      body.appendChild(tr);
    });
    box.appendChild(table);
    var pages = Math.max(1, Math.ceil(result.rows.length / perPage));
    document.getElementById('page').textContent = ' ' + (page + 1) + ' / ' + pages + ' ';
    ['chart-x', 'chart-y'].forEach(function (id) {
      var sel = document.getElementById(id); sel.textContent = '';
      result.columns.forEach(function (c, i) { var o = el('option', c.name); o.value = i; sel.appendChild(o); });
    });
    document.getElementById('chart-y').value = Math.min(1, result.columns.length - 1);
  }

  // sayError says why a statement did not run, in the page's words; where the engine says
  // where it stopped reading, the cursor is put there, and the engine's own words are kept
  // folded below.
  var detail = document.getElementById('engine-detail');
  function sayError(j) {
    status.textContent = j.message || j.error;
    detail.hidden = !j.engine;
    detail.querySelector('pre').textContent = j.engine || '';
    if (j.line) {
      editor.setCursor({ line: j.line - 1, ch: charAt(editor.getLine(j.line - 1) || '', j.col) });
      editor.focus();
      status.textContent += L('console_cursor_there');
    }
  }
  // charAt is the index in text of the character at the engine's column col (from 1), which
  // counts bytes of UTF-8: a line of Chinese names is three bytes a character.
  function charAt(text, col) {
    var bytes = 0;
    for (var i = 0; i < text.length; i++) {
      if (bytes >= col - 1) return i;
      var c = text.codePointAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      if (c >= 0x10000) i++;
    }
    return text.length;
  }

  document.getElementById('run').addEventListener('click', function () {
    detail.hidden = true;
    inFlight = new AbortController();
    document.getElementById('cancel').disabled = false;
    status.textContent = L('console_running');
    var started = Date.now();
    // The page's language, so that a refusal or a limit is said in it.
    post('/api/sql' + langQuery, { statement: editor.getValue(), format: 'json' }, inFlight.signal)
      .then(function (res) { return res.json().then(function (j) { return { ok: res.ok, body: j }; }); })
      .then(function (r) {
        if (!r.ok) { sayError(r.body); return; }
        result = r.body; page = 0; render();
        // A statement stopped at a limit after its first rows were sent ends with an error.
        status.textContent = (result.error ? (result.message || result.error) + ' — ' : '') + L('console_rows').replace('{rows}', result.rows.length).replace('{ms}', Date.now() - started) + (result.truncated ? L('console_cut') : '');
        loadHistory();
      })
      .catch(function (e) { status.textContent = e.name === 'AbortError' ? L('console_cancelled') : String(e); })
      .finally(function () { document.getElementById('cancel').disabled = true; inFlight = null; });
  });
  document.getElementById('cancel').addEventListener('click', function () { if (inFlight) inFlight.abort(); });
  document.getElementById('prev').addEventListener('click', function () { if (page > 0) { page--; render(); } });
  document.getElementById('next').addEventListener('click', function () { if ((page + 1) * perPage < result.rows.length) { page++; render(); } });

  document.getElementById('draw').addEventListener('click', function () {
    var x = +document.getElementById('chart-x').value, y = +document.getElementById('chart-y').value;
    var box = document.getElementById('quick-chart'); box.style.display = '';
    var chart = echarts.getInstanceByDom(box) || echarts.init(box);
    chart.setOption({
      tooltip: { trigger: 'axis' }, toolbox: { feature: { saveAsImage: {} } },
      xAxis: { type: 'category', data: result.rows.map(function (r) { return String(r[x]); }) },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', name: result.columns[y].name, data: result.rows.map(function (r) { return r[y]; }) }]
    }, true);
  });

  // An export is a download, sent by a form into a hidden frame so that the console stays
  // as it is. A download loads nothing into the frame; a refusal or a limit loads its JSON,
  // which is said where a run's would be.
  var exportFrame = document.getElementById('export-frame');
  exportFrame.addEventListener('load', function () {
    var text = exportFrame.contentDocument && exportFrame.contentDocument.body ? exportFrame.contentDocument.body.textContent : '';
    if (!text) return;
    try { sayError(JSON.parse(text)); } catch (e) { status.textContent = text.slice(0, 300); }
  });
  document.querySelectorAll('button.export').forEach(function (b) {
    b.addEventListener('click', function () {
      status.textContent = ''; // a refusal said before is not this export's
      detail.hidden = true;
      var form = el('form'); form.method = 'post'; form.target = 'export-frame';
      form.action = '/api/sql/export' + langQuery;
      [['statement', editor.getValue()], ['format', b.getAttribute('data-format')], ['_csrf', csrf]].forEach(function (kv) {
        var i = el('input'); i.type = 'hidden'; i.name = kv[0]; i.value = kv[1]; form.appendChild(i);
      });
      document.body.appendChild(form); form.submit(); form.remove();
    });
  });

  function fill(id, items, label, onPick) {
    var ul = document.getElementById(id); ul.textContent = '';
    items.forEach(function (it) {
      var li = el('li'); var a = el('a', label(it)); a.href = '#';
      a.addEventListener('click', function (e) { e.preventDefault(); onPick(it); });
      li.appendChild(a); ul.appendChild(li);
    });
  }
  // The history's times are UTC, for programs; the pages write Beijing time.
  function beijing(at) {
    var d = new Date(String(at).replace(' ', 'T') + 'Z');
    return isNaN(d) ? at : d.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' });
  }
  var outcomes = { ok: L('status_ok'), refused: L('status_refused'), limited: L('status_limited'), failed: L('status_failed') };
  function loadHistory() {
    fetch('/api/sql/history', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (h) {
      fill('history', (h || []).slice(0, 20), function (e) { return beijing(e.at) + ' · ' + (outcomes[e.outcome] || e.outcome) + ' · ' + e.statement.slice(0, 80); },
        function (e) { editor.setValue(e.statement); });
    });
  }
  function loadSaved() {
    fetch('/api/sql/saved', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (s) {
      fill('saved', s || [], function (q) { return q.name + ' (' + q.owner + ')'; }, function (q) { editor.setValue(q.statement); });
    });
  }
  document.getElementById('save').addEventListener('click', function () {
    var name = document.getElementById('save-name').value.trim();
    if (!name) return;
    post('/api/sql/saved' + langQuery, { name: name, statement: editor.getValue() }).then(function (res) {
      if (res.ok) { status.textContent = ''; loadSaved(); return; }
      return res.json().then(function (j) { status.textContent = j.message || j.error; });
    }).catch(function (e) { status.textContent = String(e); });
  });
  document.getElementById('schema-search').addEventListener('input', function (e) {
    var q = e.target.value.toLowerCase();
    document.querySelectorAll('.schema-table').forEach(function (d) {
      d.style.display = !q || d.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
    });
  });
  loadHistory(); loadSaved();
})();
