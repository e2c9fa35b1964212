// Draws every chart on the page from the echarts option embedded beside it as JSON, and
// makes tables sortable (click a heading) and searchable (the box above them).
(function () {
  'use strict';
  var labelsEl = document.getElementById('labels');
  var labels = labelsEl ? JSON.parse(labelsEl.textContent) : {};
  function L(key) { return labels[key] || key; }
  // The phone's menu button opens and closes the navigation.
  var toggle = document.getElementById('menu-toggle');
  if (toggle) {
    toggle.addEventListener('click', function () {
      var open = document.querySelector('header.top').classList.toggle('open');
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    });
  }
  // A file field is drawn by the browser in the browser's own language ("Choose Files · No
  // file chosen" on a Chinese page): it is given the page's words, and the field itself is
  // laid invisibly over them, so that a click, a dropped file and the keyboard still reach it.
  document.querySelectorAll('input[type=file]').forEach(function (input) {
    var pick = document.createElement('span'), face = document.createElement('span'), names = document.createElement('span');
    pick.className = 'file-pick';
    face.className = 'file-face';
    face.setAttribute('aria-hidden', 'true');
    face.textContent = input.multiple ? L('files_choose') : L('file_choose');
    names.className = 'file-names';
    names.id = input.id + '-chosen';
    input.parentNode.insertBefore(pick, input);
    pick.appendChild(face);
    pick.appendChild(input);
    pick.parentNode.insertBefore(names, pick.nextSibling);
    input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + names.id).trim());
    function show() {
      var files = Array.prototype.map.call(input.files, function (f) { return f.name; });
      if (!files.length) names.textContent = L('file_none');
      else if (files.length > 3) names.textContent = L('files_chosen').replace('%d', files.length) + files.slice(0, 3).join(L('sep_list')) + '…';
      else names.textContent = files.join(L('sep_list'));
    }
    input.addEventListener('change', show);
    show();
  });
  var charts = [];
  var wall = document.body.hasAttribute('data-wall');
  // Printing and the wall: the pickers and filters are hidden on paper and on a wall, so a
  // line under the title says what they chose (indicator, period, group; a report's month;
  // not a form that adds something, which posts) and how the ranking is ordered; the
  // charts are redrawn at the paper's width without their toolbox before the page is laid
  // out for print, and back after.
  var context = document.getElementById('print-context');
  var colon = document.documentElement.lang.indexOf('zh') === 0 ? '：' : ': ';
  if (context) {
    var chosen = Array.prototype.map.call(document.querySelectorAll('form.pickers label, form.filters[method=get] label'), function (l) {
      var sel = l.querySelector('select');
      if (!sel || sel.selectedIndex < 0) return '';
      return l.firstChild.textContent.trim() + colon + sel.options[sel.selectedIndex].text;
    }).filter(Boolean);
    var order = document.querySelector('form.pickers .direction');
    if (order && order.textContent.trim()) chosen.push(order.textContent.trim());
    context.textContent = chosen.join(' · ');
  }
  // A reader who asked the system for less motion gets still charts, drawn at once.
  var still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  fitWall();
  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var src = document.getElementById(el.getAttribute('data-chart'));
    if (!src || typeof echarts === 'undefined') {
      el.textContent = L('chart_lib_missing');
      return;
    }
    var chart = echarts.init(el, wall ? 'dark' : null, { renderer: 'canvas' });
    // Listen first: a chart without animation finishes inside setOption.
    chart.on('finished', function () { el.setAttribute('data-rendered', 'true'); });
    var option = JSON.parse(src.textContent);
    if (still) option.animation = false;
    [].concat(option.visualMap || []).forEach(function (m) { m.formatter = m.formatter || num; });
    groupLabels(option);
    // A value axis leaves out the numbers that would print over each other: on a phone a
    // ranking's read "50,000100,000150,000200,000".
    [].concat(option.xAxis || [], option.yAxis || []).forEach(function (a) {
      if (a.type === 'value') a.axisLabel = Object.assign({}, a.axisLabel, { hideOverlap: true });
    });
    if (!wall && hasSources(option)) linkSources(chart, option);
    chart.setOption(option);
    if (wall) chart.setOption({ backgroundColor: 'transparent', toolbox: { show: false } });
    if (wall && crowded(el, option)) {
      chart.setOption({ yAxis: { axisLabel: { interval: 'auto' } }, series: option.series.map(function () { return { label: { show: false } }; }) });
    }
    fitTitle(chart);
    charts.push(chart);
  });
  window.addEventListener('resize', function () {
    fitWall();
    charts.forEach(function (c) { c.resize(); fitTitle(c); });
    hintScrolls();
  });

  // A table wider than its box scrolls sideways inside it, and on a phone nothing showed
  // that it did: the counties' values sat beyond the screen's edge. A line above each
  // such box says so, while it is too wide, and a keyboard can scroll it then (it takes
  // the focus). Not on a wall screen, which nobody scrolls (and whose grid a line more
  // would break).
  function hintScrolls() {
    if (wall) return;
    document.querySelectorAll('.table-view, .targets, .table-scroll, main table').forEach(function (box) {
      var scrolls = /auto|scroll/.test(getComputedStyle(box).overflowX) && box.scrollWidth > box.clientWidth + 1;
      if (scrolls) box.tabIndex = 0;
      else if (box.getAttribute('tabindex') === '0') box.removeAttribute('tabindex');
      var hint = box.previousElementSibling;
      if (!hint || !hint.classList.contains('scroll-hint')) {
        if (!scrolls) return;
        hint = document.createElement('p');
        hint.className = 'scroll-hint';
        hint.textContent = L('scroll_sideways');
        box.parentNode.insertBefore(hint, box);
      }
      hint.hidden = !scrolls;
    });
  }
  hintScrolls();
  // A box that opens (details), or a table searched or paged, may turn too wide only then.
  document.addEventListener('toggle', hintScrolls, true);
  document.addEventListener('rowschange', hintScrolls, true);

  // A datum that carries a lineage address (the server sets one for each number drawn from
  // a single loaded value) names its source in the tooltip, as a link the pointer can reach,
  // and a mouse click on it opens the source. A tap only shows the tooltip: on a phone the
  // link in it is the way there.
  function hasSources(option) {
    return (option.series || []).some(function (s) {
      return (s.data || []).some(function (d) { return d && d.lineage; });
    });
  }
  // A number in a tooltip or on a map's colour scale is written as the page's tables write
  // it (formatNumber): thousands grouped, at most two decimals. The scale read 228167. A
  // series whose table writes a fixed number of decimals says so (digits: the scorecard's
  // 59.30, which its bar showed as 59.3).
  function num(v, digits) {
    if (typeof v !== 'number' || !isFinite(v)) return v;
    var s = v.toLocaleString('en-US', digits === undefined ? { maximumFractionDigits: 2 } : { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return s === '-0' ? '0' : s;
  }
  // A number printed on a chart (a bar's value, the national line's) is grouped too: the
  // bars read 228167 beside an axis reading 250,000. A label's template keeps its words,
  // its {c} is the grouped number.
  function groupLabels(option) {
    (option.series || []).forEach(function (s) {
      [s.label, s.markLine && s.markLine.label].forEach(function (l) {
        if (!l || !l.show || (l.formatter && typeof l.formatter !== 'string')) return;
        // Only a template of {a}, {b} and {c} (ECharts fills the others: {d}, {@dim}), and
        // with none only a bar's or a line's label, whose default is the value.
        if (l.formatter ? /\{(?![abc]\})[^}]*\}/.test(l.formatter) : s.type !== 'bar' && s.type !== 'line') return;
        var fmt = l.formatter || '{c}';
        l.formatter = function (p) {
          return fmt.replace(/\{a\}/g, p.seriesName).replace(/\{b\}/g, p.name).replace(/\{c\}/g, num(p.value, s.digits));
        };
      });
    });
  }
  function esc(v) {
    return String(v).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function sourceTooltip(params, series) {
    var list = Array.isArray(params) ? params : [params];
    var axis = list.length && list[0].axisValueLabel;
    var head = axis ? '<div>' + esc(axis) + '</div>' : '';
    return head + list.map(function (p) {
      var v = Array.isArray(p.value) ? p.value[p.value.length - 1] : p.value;
      if (v === undefined || v === null || v === '-' || (typeof v === 'number' && isNaN(v))) v = '—';
      var line = p.marker + esc(p.seriesName) + (!axis && p.name ? ' · ' + esc(p.name) : '') +  ' <b>' + esc(num(v, (series[p.seriesIndex] || {}).digits)) + '</b>';
      if (p.data && p.data.lineage) {
        line += ' <a class="chart-source" href="' + esc(p.data.lineage) + '">' + esc(L('lineage_open')) + '</a>';
      }
      return '<div>' + line + '</div>';
    }).join('');
  }
  function linkSources(chart, option) {
    var tip = option.tooltip = option.tooltip || {};
    tip.enterable = true;
    tip.confine = true;
    tip.formatter = function (params) { return sourceTooltip(params, option.series || []); };
    chart.on('click', function (p) {
      var e = p.event && p.event.event;
      if (!p.data || !p.data.lineage || (e && (e.pointerType === 'touch' || String(e.type).indexOf('touch') === 0))) return;
      location.href = p.data.lineage;
    });
  }
  // On a phone a chart's centred title ran under its toolbox and a long subtitle past both
  // edges of the canvas; cut to the width, they lost their ends ("The seven problem
  // categor…", a subtitle that keys the colours cut at 各项对照本…). There they start at the
  // left and are broken over lines here (echarts does not say how many lines it made), the
  // title short of the toolbox, and the plot and the box move down by the lines added.
  // The names along a bar chart's side (long in English: "Linxia Hui Autonomous
  // Prefecture") are cut to a third of a phone's width, so that the bars keep the rest.
  // wrapText breaks text into lines no wider than width in font: between words, or between
  // two Chinese characters but never before a closing mark (，。）) nor after an opening one
  // (（《); a word wider than a line is broken where it must. (Functions only: the charts
  // above are drawn before this part of the script has run.)
  function wrapText(text, font, width) {
    var measure = wrapText.measure = wrapText.measure || document.createElement('canvas').getContext('2d');
    measure.font = font;
    var fits = function (s) { return measure.measureText(s.trimEnd()).width <= width; };
    var token = /[（《「『“‘【]*[\u2e80-\u9fff\uff00-\uffef][，。、；：！？）》」』”’】]*|[^\s\u2e80-\u9fff\uff00-\uffef]+\s*|\s+/g;
    return String(text).split('\n').map(function (para) {
      var lines = [], line = '';
      (para.match(token) || []).forEach(function (tok) {
        if (line && !fits(line + tok)) { lines.push(line.trimEnd()); line = tok.trimStart(); } else line += tok;
        while (line.length > 1 && !fits(line)) {
          var n = line.length - 1;
          while (n > 1 && !fits(line.slice(0, n))) n--;
          lines.push(line.slice(0, n)); line = line.slice(n);
        }
      });
      return lines.concat(line.trimEnd()).join('\n');
    }).join('\n');
  }
  function fitTitle(c) {
    var w = c.getWidth(), narrow = w < 560, lineHeight = { text: 24, sub: 16 };
    if (!narrow && !c.wideTitle) return;
    // One copy of the option for the whole fit: a phone resizes while it scrolls.
    var o = c.getOption(), title = (o.title || [])[0] || {};
    c.wideTitle = c.wideTitle || { text: title.text || '', subtext: title.subtext || '' };
    var text = c.wideTitle.text, subtext = c.wideTitle.subtext;
    if (narrow) {
      // The title starts at 8 px, and echarts pads it by 5: its lines end 83 px short of the
      // right edge, clear of the toolbox.
      text = wrapText(text, 'bolder 18px sans-serif', w - 96);
      subtext = wrapText(subtext, '12px sans-serif', w - 16);
    }
    c.setOption({ title: { left: narrow ? 8 : 'center', text: text, subtext: subtext,
      textStyle: { lineHeight: lineHeight.text }, subtextStyle: { lineHeight: lineHeight.sub } } });
    var added = (text.split('\n').length - c.wideTitle.text.split('\n').length) * lineHeight.text +
      (subtext.split('\n').length - c.wideTitle.subtext.split('\n').length) * lineHeight.sub;
    grow(c, o, 'top', 'titleAdded', added);
    var y = o.yAxis || [];
    if (y.length && y[0].type === 'category') {
      c.setOption({ yAxis: y.map(function () { return { axisLabel: { width: narrow ? Math.round(w / 3) : null, overflow: narrow ? 'truncate' : 'none' } }; }) });
    }
    // A pie's labels (整改中: 92, "In progress: 92") ran off a phone's canvas ("In p…"):
    // there they give the number only, never cut (a cut number reads as another), around a
    // smaller pie, and the legend under it names the colours.
    var series = o.series || [];
    if (series.some(function (sr) { return sr.type === 'pie'; })) {
      if (narrow && !c.pieWide) c.pieWide = series.map(function (sr) { return { label: { formatter: sr.label && sr.label.formatter, overflow: sr.label && sr.label.overflow }, radius: sr.radius }; });
      c.setOption({ series: series.map(function (sr, i) {
        if (sr.type !== 'pie') return {};
        // A slice of nothing has no label there: two bare zeros could not be told apart.
        return narrow ? { label: { formatter: function (p) { return num(p.value); }, overflow: 'none' }, radius: ['28%', '50%'], minShowLabelAngle: 0.01 } : c.pieWide[i];
      }) });
    }
    fitLegend(c, o, narrow, w);
  }

  // A legend under a chart scrolled sideways on a phone, its names cut (已整…) and paged
  // (1/2): there it is laid out whole, on as many lines as it takes, the plot area and the
  // chart's box made taller by what the lines add.
  function fitLegend(c, o, narrow, w) {
    var legend = (o.legend || [])[0];
    if (!legend || legend.show === false || legend.type !== 'scroll' && !c.legendWide) return;
    c.legendWide = c.legendWide || { type: legend.type };
    var added = 0;
    if (narrow) {
      // The legend's own items when it names them (a ranking's history lists a few of its
      // 31 lines), else every series', a pie's slices.
      var names = (legend.data && legend.data.length ? legend.data : (o.series || []).reduce(function (all, sr) {
        return all.concat(sr.type === 'pie' ? (sr.data || []) : [sr]);
      }, [])).map(function (d) { return d && typeof d === 'object' ? d.name : d; });
      var measure = wrapText.measure = wrapText.measure || document.createElement('canvas').getContext('2d');
      measure.font = '12px sans-serif';
      // Laid as echarts lays them: each item its mark (25 px), a gap of 5 and its name, 10
      // before the next, a new line when the next does not fit.
      var lines = 1, x = 0;
      names.forEach(function (n) {
        var item = 30 + measure.measureText(String(n)).width;
        if (x > 0 && x + item > w - 20) { lines++; x = 0; }
        x += item + 10;
      });
      added = (lines - 1) * 22;
    }
    // Given whole: a legend of another type is made anew, and would lose its place (bottom).
    var laid = {};
    Object.keys(legend).forEach(function (k) { laid[k] = legend[k]; });
    laid.type = narrow ? 'plain' : c.legendWide.type;
    if (laid.type !== legend.type) c.setOption({ legend: laid });
    grow(c, o, 'bottom', 'legendAdded', added);
  }

  // grow makes chart c's box taller by what a fit added at one edge of its plot (the
  // title's lines at the top, the legend's at the bottom), pixels kept in c[mark] so that
  // the next fit moves only by the difference.
  function grow(c, o, edge, mark, added) {
    var moved = added - (c[mark] || 0);
    if (!moved) return;
    c[mark] = added;
    // Only grids placed in pixels are moved (every chart of the server's is).
    c.setOption({ grid: (o.grid || []).map(function (g) {
      var at = {};
      if (isFinite(Number(g[edge]))) at[edge] = Number(g[edge]) + moved;
      return at;
    }) });
    var box = c.getDom();
    box.style.height = (box.offsetHeight + moved) + 'px';
    c.resize();
  }

  // Before print the page still has the screen's layout: 700 px fits A4 either way up. Once
  // laid out for print (the media query), the chart's box has the paper's width.
  function fitPaper(max) {
    charts.forEach(function (c) {
      c.setOption({ toolbox: { show: false } });
      c.resize({ width: Math.min(c.getDom().clientWidth || max, max), animation: { duration: 0 } });
      fitTitle(c);
    });
  }
  function fitScreen() {
    fitWall();
    charts.forEach(function (c) { c.setOption({ toolbox: { show: !wall } }); c.resize(); fitTitle(c); });
  }
  // On a wall a long ranking (86 counties) has less than a line of type per bar: its names
  // and values would print over each other, so the axis names what fits, the bars unlabelled.
  function crowded(el, option) {
    var axis = [].concat(option.yAxis || [])[0];
    return !!(axis && axis.type === 'category' && axis.data && el.clientHeight / axis.data.length < 18);
  }
  // A wall screen is never scrolled: the columns of app.css get the height the rest of the
  // page leaves, the first box down the left, the others sharing the right (in two columns
  // of their own when there are three or more); a chart is never squeezed below a readable
  // height.
  function fitWall() {
    if (!wall || window.innerWidth < 1200) return;
    var main = document.querySelector('main');
    var items = [].filter.call(main.children, function (e) {
      return (e.classList.contains('chart-box') || e.classList.contains('targets')) && e.offsetParent !== null;
    });
    if (!items.length) return;
    var first = items[0], rest = items.slice(1), across = rest.length >= 3 ? 2 : 1;
    var rows = Math.max(Math.ceil(rest.length / across), 1);
    main.classList.toggle('wall-three', across === 2);
    first.style.gridRow = 'span ' + rows;
    // Alone, a box takes the whole width (it stood in the left column, the right empty).
    if (!rest.length) first.style.gridColumn = '1 / -1';
    var restHeight = 0;
    for (var i = 0; i < rest.length; i += across) restHeight += Math.max.apply(null, rest.slice(i, i + across).map(outer));
    var over = main.getBoundingClientRect().bottom + window.scrollY - window.innerHeight;
    var height = Math.max(outer(first), restHeight) - over;
    size([first], height, 1);
    size(rest, height, rows);
    function outer(e) {
      var cs = getComputedStyle(e);
      return e.getBoundingClientRect().height + parseFloat(cs.marginTop) + parseFloat(cs.marginBottom);
    }
    // size gives each chart of a column its row's share of the height; other boxes keep theirs.
    function size(list, h, rows) {
      list.forEach(function (e) {
        var chart = e.querySelector('.chart');
        if (chart) chart.style.height = Math.max(200, Math.floor(h / rows - (outer(e) - chart.offsetHeight))) + 'px';
      });
    }
  }

  // Paper has no hand to open a fold: every source the footnote folded away prints.
  function unfold() {
    document.querySelectorAll('details.more-sources').forEach(function (d) { d.open = true; });
  }
  window.addEventListener('beforeprint', function () { unfold(); fitPaper(700); });
  window.addEventListener('afterprint', fitScreen);
  if (window.matchMedia) {
    window.matchMedia('print').addEventListener('change', function (e) { if (e.matches) { unfold(); fitPaper(Infinity); } else fitScreen(); });
  }

  function cellValue(row, i) {
    var text = row.cells[i] ? row.cells[i].textContent.trim() : '';
    var n = parseFloat(text.replace(/[,%]/g, ''));
    return isNaN(n) ? text : n;
  }
  // keepState records what the reader did to a table (its sort, its page) in the history
  // entry, so that back from an item it is as they left it. Only a change is written: a
  // browser refuses a page that replaces its history entry too often.
  function keepState(key, value) {
    if (key.slice(-1) === ':' || keptState(key) === value) return; // a table without an id keeps nothing
    try {
      var state = Object.assign({}, history.state);
      state[key] = value;
      history.replaceState(state, '');
    } catch (e) { /* the table still works; only going back forgets it */ }
  }
  function keptState(key) { return history.state ? history.state[key] : undefined; }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var ths = table.querySelectorAll('th');
    function sortBy(i, asc) {
      var body = table.tBodies[0];
      ths.forEach(function (h) { h.removeAttribute('data-sort'); });
      ths[i].setAttribute('data-sort', asc ? 'asc' : 'desc');
      Array.prototype.slice.call(body.rows).sort(function (a, b) {
        var x = cellValue(a, i), y = cellValue(b, i);
        var c = (typeof x === 'number' && typeof y === 'number') ? x - y : String(x).localeCompare(String(y), 'zh');
        return asc ? c : -c;
      }).forEach(function (r) { body.appendChild(r); });
    }
    ths.forEach(function (th, i) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('data-sort') !== 'asc';
        sortBy(i, asc);
        keepState('sort:' + table.id, (asc ? '+' : '-') + i);
        table.dispatchEvent(new Event('rowschange'));
      });
    });
    var kept = keptState('sort:' + table.id);
    if (typeof kept === 'string' && ths[+kept.slice(1)]) sortBy(+kept.slice(1), kept[0] === '+');
  });
  document.querySelectorAll('input.search[data-table]').forEach(function (box) {
    var table = document.getElementById(box.getAttribute('data-table'));
    function filter() {
      var q = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        r.style.display = !q || r.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
      });
    }
    box.addEventListener('input', function () { filter(); table.dispatchEvent(new Event('rowschange')); });
    // Back on the page, the browser gives the box its words again, after this script has
    // run: the rows follow them, and the pager keeps its page among them.
    window.addEventListener('pageshow', function () {
      if (box.value) { filter(); table.dispatchEvent(new Event('rowsrestore')); }
    });
  });
  // A long table (data-page-size) shows a page of its rows at a time, with its pager after
  // it: a ledger of hundreds of items is otherwise a dozen screens to scroll past on a
  // phone. Searching and sorting act on every row and start again at the first page;
  // paper shows every row a search left (tr.off-page hides on screens only). The page shown
  // is kept in the history entry: back from an item, the reader is where they left.
  document.querySelectorAll('table[data-page-size]').forEach(function (table) {
    var size = +table.getAttribute('data-page-size'), pager = table.nextElementSibling, first = 0;
    if (!size || !pager || !pager.classList.contains('table-pager')) return;
    var key = 'pager:' + table.id, kept = keptState(key);
    if (kept === 'all') size = Infinity;
    else if (typeof kept === 'number') first = kept;
    function keep() { keepState(key, size === Infinity ? 'all' : first); }
    var range = pager.querySelector('.range'), go = {};
    pager.querySelectorAll('button[data-go]').forEach(function (b) { go[b.getAttribute('data-go')] = b; });
    function draw() {
      var rows = Array.prototype.filter.call(table.tBodies[0].rows, function (r) { return r.style.display !== 'none'; });
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) { r.classList.remove('off-page'); });
      if (size === Infinity || rows.length <= size) { pager.hidden = true; return; }
      if (first >= rows.length) first = 0; // a kept page the rows no longer reach
      rows.forEach(function (r, i) { if (i < first || i >= first + size) r.classList.add('off-page'); });
      pager.hidden = false;
      range.textContent = pager.getAttribute('data-range').replace('{from}', first + 1).replace('{to}', Math.min(first + size, rows.length)).replace('{n}', rows.length);
      go.prev.disabled = first === 0;
      go.next.disabled = first + size >= rows.length;
    }
    // A new page is read from its top: the table comes into view and takes the focus,
    // which the button pressed may lose (disabled on the last page, gone with the pager).
    function turn(to) {
      first = to;
      draw();
      keep();
      if (!table.hasAttribute('tabindex')) table.setAttribute('tabindex', '-1');
      table.focus({ preventScroll: true });
      table.scrollIntoView({ block: 'start' });
    }
    go.prev.addEventListener('click', function () { turn(Math.max(0, first - size)); });
    go.next.addEventListener('click', function () { turn(first + size); });
    go.all.addEventListener('click', function () { size = Infinity; turn(0); });
    table.addEventListener('rowschange', function () { first = 0; draw(); keep(); });
    table.addEventListener('rowsrestore', draw);
    draw();
  });

  // The wall screen redraws itself when a load changes the data (it asks /api/version every
  // data-poll seconds) and, with data-rotate, moves on to the next page in turn.
  if (wall) {
    var b = document.body, version = b.getAttribute('data-version');
    setInterval(function () {
      fetch('/api/version', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (j) {
        if (String(j.data_version) !== version) location.reload();
      }).catch(function () { /* the next poll tries again */ });
    }, (+b.getAttribute('data-poll') || 30) * 1000);
    var rotate = +b.getAttribute('data-rotate') || 0;
    if (rotate > 0) {
      setTimeout(function () {
        var pages = ['/', '/ranking', '/counties', '/ecology', '/campaign'];
        var next = pages[(pages.indexOf(location.pathname) + 1) % pages.length];
        location.href = next + location.search;
      }, rotate * 1000);
    }
  }
})();
