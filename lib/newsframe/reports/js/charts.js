/* newsframe's chart glue (newsframe.reports.interactive): draws each chart with vega-embed, hides its static PNG
   once drawn, and lists a clicked period's articles. Article text is only ever set with textContent: a title such
   as <script> shows as text. Inline, once per report; no network. */
(function () {
  "use strict";
  if (window.NF) return;
  var NF = window.NF = {views: {}};
  var payloads = {};

  function parsed(element) { return element ? JSON.parse(element.textContent) : null; }
  function count(n) { return Number(n).toLocaleString("en-US"); }
  function articles(key) {
    if (!(key in payloads)) payloads[key] = parsed(document.getElementById("nf-articles-" + key));
    return payloads[key];
  }
  function add(parent, tag, text, className) {
    var element = document.createElement(tag);
    if (text !== undefined) element.textContent = text;
    if (className) element.className = className;
    parent.appendChild(element);
    return element;
  }

  // Draw one chart. Without vega-embed (JavaScript off, an untrusted notebook) nothing runs and the PNG stays; a
  // failure leaves the PNG too, and says why in data-nf-error. In a page still loading, charts wait for the whole
  // document: the text shows at once (with the PNGs) instead of after every chart has drawn.
  NF.mount = function (id) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { NF.mount(id); });
      return;
    }
    var el = document.getElementById(id);
    if (!el || !window.vegaEmbed) return;
    var config = parsed(el.querySelector("script.nf-config"));
    var live = el.querySelector(".nf-live");
    var options = {actions: false, mode: "vega-lite", renderer: "canvas", tooltip: {theme: "light"}};
    window.vegaEmbed(live, config.spec, options).then(function (result) {
      NF.views[id] = result.view;
      result.view.addSignalListener("pick", function (name, value) {
        // A click on an event's mark selects no period: nothing to list. A heat map's cell is a series and a column.
        var p = value && value.vlPoint && value.p ? value.p[0] : undefined;
        var s = value && value.s && Number.isInteger(value.s[0]) ? value.s[0] : -1;
        if (config.columns && value && value.c && Number.isInteger(value.c[0])) NF.drill(el, config, -1, s, value.c[0]);
        else if (Number.isInteger(p)) NF.drill(el, config, p, s);
      });
      el.querySelector(".nf-static").style.display = "none";
      add(el.querySelector(".nf-drill"), "p", config.hint, "nf-hint");
      el.setAttribute("data-nf-rendered", String(Math.round(performance.now())));
      fromAddress(el, config);
    }, function (error) {
      el.setAttribute("data-nf-error", String(error));
      live.textContent = "";
    });
  };

  // List the embedded articles of period `p` (an index into the payload's periods) and series `s` (-1: all); on a
  // term-group chart, those that mention the series' group(s), each with its words in context; on a heat map, those
  // of series `s` and column `c`, whatever their period (`p` is -1).
  NF.drill = function (el, config, p, s, c) {
    var data = articles(config.articles), box = el.querySelector(".nf-drill");
    var cell = config.columns && s >= 0 && c >= 0 && c < config.columns.length;
    if (!data || !box || !(cell || (p >= 0 && p < data.periods.length))) return;
    var bySeries = s >= 0 && (config.member || config.mentions);
    var said = config.mentions ? mentions(config.mentions) : null, wanted = said && s >= 0 ? config.groups[s] : [];
    var shown = [];
    data.rows.forEach(function (row, i) {
      if ((!cell && row[0] !== p) || (cell && config.column[i] !== c)) return;
      if (bySeries && config.member && config.member[i] !== s) return;
      if (said && !wanted.every(function (g) { return said[i] && said[i][g]; })) return;
      shown.push(i);
    });
    var total = cell ? (config.totals[s + ":" + c] || 0) : bySeries ? (config.totals[p + ":" + s] || 0) :
      data.totals[p];
    box.textContent = "";
    var what = cell ? config.series[s] + config.seriesNote + " · " + config.columns[c] :
      data.labels[p] + (bySeries ? " · " + config.series[s] + config.seriesNote : "");
    add(box, "p", what + ": " + count(shown.length) + " of " + count(total) + " articles listed (this page holds at " +
        "most " + count(data.cap) + " articles per " + data.period + ", drawn at random" +
        (said ? " from all of its articles; the first " + count(said.snippets) + " show the words around the term" :
         "") + ")", "nf-drill-head");
    var list = add(box, "ol", undefined, "nf-drill-list");
    shown.forEach(function (i) {
      var row = data.rows[i], item = add(list, "li");
      add(item, "time", row[1]);
      add(item, "span", " · " + data.sources[row[2]] + " · ", "nf-source");
      var title = add(item, row[4] ? "a" : "span", row[3] || "(no title)");
      if (row[4]) { title.href = row[4]; title.target = "_blank"; title.rel = "noopener noreferrer"; }
      wanted.forEach(function (g) {
        var line = said[i][g];
        if (!line.length) return;  // past the period's first few mentions in context: listed without
        var context = add(item, "div", undefined, "nf-kwic");
        add(context, "span", line[0]);
        add(context, "b", line[1]);
        add(context, "span", line[2]);
      });
    });
    el.setAttribute("data-nf-listed", String(shown.length));
  };

  // The mentions payload as {payload row: {group: [left, keyword, right]}}, read once.
  function mentions(key) {
    var name = "mentions-" + key;
    if (!(name in payloads)) {
      var data = parsed(document.getElementById("nf-" + name)), found = {snippets: data ? data.snippets : 0};
      (data ? data.rows : []).forEach(function (r) { (found[r[0]] = found[r[0]] || {})[r[1]] = r.slice(2); });
      payloads[name] = found;
    }
    return payloads[name];
  }

  // A link to a list: #nf-pick=<chart name>:<period start, YYYY-MM-DD>[:<series>] opens it on load (the tests use it);
  // a heat map's cell is #nf-pick=<chart name>:cell:<series index>:<column index>.
  function fromAddress(el, config) {
    var hash = decodeURIComponent(window.location.hash), at = /^#nf-pick=([^:]*):cell:([0-9]+):([0-9]+)$/.exec(hash);
    if (at && at[1] === el.getAttribute("data-nf-name")) NF.drill(el, config, -1, Number(at[2]), Number(at[3]));
    var wanted = /^#nf-pick=([^:]*):([0-9-]{10})(?::(.*))?$/.exec(hash);
    if (!wanted || wanted[1] !== el.getAttribute("data-nf-name")) return;
    var data = articles(config.articles);
    var s = wanted[3] !== undefined && config.series ? config.series.indexOf(wanted[3]) : -1;
    NF.drill(el, config, data.periods.indexOf(wanted[2]), s);
  }
})();
