// A unit's report form on a phone: what is typed is kept on the phone at once (a dropped
// connection loses nothing) and saved as the unit's draft on the server a moment later;
// the form itself posts as a plain form, so errors come back beside their fields.
(function () {
  var root = document.getElementById('report');
  if (!root) return;
  var labelsEl = document.getElementById('labels');
  var labels = labelsEl ? JSON.parse(labelsEl.textContent) : {};
  function L(key) { return labels[key] || key; }
  var unit = root.getAttribute('data-unit'), month = root.getAttribute('data-month');
  var en = /[?&]lang=en\b/.test(location.search);
  var picker = document.getElementById('report-month');
  if (picker) {
    picker.addEventListener('change', function () {
      location.href = '/report/' + encodeURIComponent(unit) + '/' + picker.value + (en ? '?lang=en' : '');
    });
  }
  var form = document.getElementById('report-form');
  if (!form || !root.hasAttribute('data-can-submit')) return;
  var key = 'jinwei-report:' + unit + ':' + month;
  var status = document.getElementById('draft-status');
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  if (root.hasAttribute('data-submitted') && store) store.removeItem(key);

  function inputs() { return form.querySelectorAll('input[name]:not([type=hidden])'); }
  function values() {
    var v = {};
    inputs().forEach(function (el) { if (el.value !== '') v[el.name] = el.value; });
    return v;
  }
  function say(text) { if (status) status.textContent = text; }

  // A copy kept on this phone is newer than the server's draft: it was typed after it.
  if (store && form.querySelector('.field-error') === null) {
    var kept = store.getItem(key);
    if (kept) {
      try {
        var v = JSON.parse(kept);
        inputs().forEach(function (el) { if (Object.prototype.hasOwnProperty.call(v, el.name)) el.value = v[el.name]; });
        say(L('report_restored'));
      } catch (e) { store.removeItem(key); }
    }
  }

  var timer = null;
  function saveDraft() {
    var csrf = form.querySelector('input[name=_csrf]').value;
    fetch('/api/report/' + encodeURIComponent(unit) + '/' + month + '/draft' + (en ? '?lang=en' : ''), {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ values: values() })
    }).then(function (res) {
      say(res.ok ? L('report_draft_saved') + ' ' + new Date().toLocaleTimeString() : L('report_draft_kept_here'));
    }).catch(function () { say(L('report_draft_kept_here')); });
  }
  form.addEventListener('input', function () {
    if (store) { try { store.setItem(key, JSON.stringify(values())); } catch (e) { /* full: the server draft still saves */ } }
    clearTimeout(timer);
    timer = setTimeout(saveDraft, 800);
  });
  form.addEventListener('submit', function () { clearTimeout(timer); });
})();
