// Draws every chart on the page from the echarts option embedded beside it as JSON.
(function () {
  'use strict';
  var charts = [];
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var src = document.getElementById(el.getAttribute('data-chart'));
    if (!src || typeof echarts === 'undefined') {
      el.textContent = 'chart library not loaded';
      return;
    }
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption(JSON.parse(src.textContent));
    el.setAttribute('data-rendered', 'true');
    charts.push(chart);
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
