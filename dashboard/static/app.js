// Draws every chart on the page from the echarts option embedded beside it as JSON, and
// makes tables sortable (click a heading) and searchable (the box above them).
(function () {
  'use strict';
  var labelsEl = document.getElementById('labels');
  var labels = labelsEl ? JSON.parse(labelsEl.textContent) : {};
  function L(key) { return labels[key] || key; }
  var charts = [];
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var src = document.getElementById(el.getAttribute('data-chart'));
    if (!src || typeof echarts === 'undefined') {
      el.textContent = L('chart_lib_missing');
      return;
    }
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    // Listen first: a chart without animation finishes inside setOption.
    chart.on('finished', function () { el.setAttribute('data-rendered', 'true'); });
    chart.setOption(JSON.parse(src.textContent));
    charts.push(chart);
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.resize(); });
  });

  function cellValue(row, i) {
    var text = row.cells[i] ? row.cells[i].textContent.trim() : '';
    var n = parseFloat(text.replace(/[,%]/g, ''));
    return isNaN(n) ? text : n;
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('th').forEach(function (th, i) {
      th.addEventListener('click', function () {
        var body = table.tBodies[0];
        var asc = th.getAttribute('data-sort') !== 'asc';
        table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('data-sort'); });
        th.setAttribute('data-sort', asc ? 'asc' : 'desc');
        Array.prototype.slice.call(body.rows).sort(function (a, b) {
          var x = cellValue(a, i), y = cellValue(b, i);
          var c = (typeof x === 'number' && typeof y === 'number') ? x - y : String(x).localeCompare(String(y), 'zh');
          return asc ? c : -c;
        }).forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  document.querySelectorAll('input.search[data-table]').forEach(function (box) {
    var table = document.getElementById(box.getAttribute('data-table'));
    box.addEventListener('input', function () {
      var q = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        r.style.display = !q || r.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
      });
    });
  });
})();
