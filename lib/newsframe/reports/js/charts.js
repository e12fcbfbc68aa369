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
      add(el.querySelector(".nf-drill"), "p", config.hint + " Keyboard: Tab to the chart, then the arrow keys and " +
          "Enter.", "nf-hint");
      keyboard(el, config, live);
      el.setAttribute("data-nf-rendered", String(Math.round(performance.now())));
      fromAddress(el, config);
    }, function (error) {
      el.setAttribute("data-nf-error", String(error));
      live.textContent = "";
    });
  };

  // A keyboard reaches the chart (Tab; its name is the chart's alt text) and lists a period's articles without a
  // mouse: the left and right arrows (Home, End) move between periods, up and down between series (a heat map's
  // arrows move between its cells), Enter or Space lists the articles. A line under the chart, read out by screen
  // readers, names where the keys are and how many articles it has.
  function keyboard(el, config, live) {
    var data = articles(config.articles), cell = !!config.columns, series = config.series || [];
    if (!data) return;
    var at = {p: 0, s: series.length ? 0 : -1, c: 0};
    var alt = el.querySelector(".nf-static").getAttribute("alt") || "";
    live.tabIndex = 0;
    live.setAttribute("role", "group");
    live.setAttribute("aria-label", alt + " Keyboard: " + (cell ? "arrow keys move between cells" :
      "left and right arrows move between " + data.period + "s" + (series.length ? ", up and down between series" :
      "")) + "; Enter lists the articles.");
    var status = document.createElement("p");
    status.className = "nf-focus";
    status.setAttribute("aria-live", "polite");
    live.parentNode.insertBefore(status, live.nextSibling);
    function say() {
      var total = cell ? config.totals[at.s + ":" + at.c] : at.s >= 0 ? config.totals[at.p + ":" + at.s] :
        data.totals[at.p];
      status.textContent = (cell ? series[at.s] + " · " + config.columns[at.c] : data.labels[at.p] +
        (at.s >= 0 ? " · " + series[at.s] : "")) + ": " + (config.mentions ? articlesMention(total || 0) + " it" :
        count(total || 0) + " articles" + (at.s >= 0 ? config.seriesNote : "")) + ". Enter lists them.";
      el.setAttribute("data-nf-at", cell ? at.s + ":" + at.c : at.p + ":" + at.s);
    }
    var moves = {
      ArrowLeft: function () { if (cell) at.c = Math.max(0, at.c - 1); else at.p = Math.max(0, at.p - 1); },
      ArrowRight: function () {
        if (cell) at.c = Math.min(config.columns.length - 1, at.c + 1);
        else at.p = Math.min(data.periods.length - 1, at.p + 1);
      },
      ArrowUp: function () { if (at.s >= 0) at.s = Math.max(0, at.s - 1); },
      ArrowDown: function () { if (at.s >= 0) at.s = Math.min(series.length - 1, at.s + 1); },
      Home: function () { if (cell) at.c = 0; else at.p = 0; },
      End: function () { if (cell) at.c = config.columns.length - 1; else at.p = data.periods.length - 1; }
    };
    live.addEventListener("focus", say);
    live.addEventListener("keydown", function (event) {
      if (moves[event.key]) { moves[event.key](); say(); }
      else if (event.key === "Enter" || event.key === " ") {
        if (cell) NF.drill(el, config, -1, at.s, at.c); else NF.drill(el, config, at.p, at.s);
      }
      else return;
      event.preventDefault();  // the arrows and Space would scroll the page
    });
  }

  // List the embedded articles of period `p` (an index into the payload's periods) and series `s` (-1: all); on a
  // heat map, those of series `s` and column `c`, whatever their period (`p` is -1). A term-group chart lists its own
  // (`drillMentions`).
  NF.drill = function (el, config, p, s, c) {
    if (config.mentions) return drillMentions(el, config, p, s);
    var data = articles(config.articles), box = el.querySelector(".nf-drill");
    var cell = config.columns && s >= 0 && c >= 0 && c < config.columns.length;
    if (!data || !box || !(cell || (p >= 0 && p < data.periods.length))) return;
    var bySeries = s >= 0 && config.member;
    var shown = [];
    data.rows.forEach(function (row, i) {
      if ((!cell && row[0] !== p) || (cell && config.column[i] !== c)) return;
      if (bySeries && config.member[i] !== s) return;
      shown.push(row);
    });
    var total = cell ? (config.totals[s + ":" + c] || 0) : bySeries ? (config.totals[p + ":" + s] || 0) :
      data.totals[p];
    var what = cell ? config.series[s] + config.seriesNote + " · " + config.columns[c] :
      data.labels[p] + (bySeries ? " · " + config.series[s] + config.seriesNote : "");
    var list = listed(el, what + ": " + count(shown.length) + " of " + count(total) + " articles listed (this page " +
                      "holds at most " + count(data.cap) + " articles per " + data.period + ", drawn at random)");
    shown.forEach(function (row) { item(list, row, data.sources, []); });
    el.setAttribute("data-nf-listed", String(shown.length));
  };

  // List the articles of period `p` that mention series `s`'s term group (both groups of a co-mention): all of them
  // up to the cap, the sampled ones and those the term groups' payload adds, oldest first, the first few with the
  // words around the term.
  function drillMentions(el, config, p, s) {
    var data = articles(config.articles), set = s >= 0 ? config.groups[s] : -1;
    if (!data || !(p >= 0 && p < data.periods.length) || !(set >= 0)) return;
    mentions(config.mentions, data).then(function (said) {
      var shown = ((said.lists[set] || {})[p] || []).slice().sort(function (a, b) {
        return a.row[1] < b.row[1] ? -1 : a.row[1] > b.row[1] ? 1 : a.order - b.order;
      });
      var total = config.totals[p + ":" + s] || 0, who = said.sets[set].join(" and ");
      var words = "the first " + count(said.snippets) + " show the words around the term)";
      var head = data.labels[p] + " · " + config.series[s] + ": " + articlesMention(total) + " " + who + " this " +
        data.period + "; " + (shown.length < total ? "showing " + count(shown.length) + " of " + count(total) +
        ", drawn at random (this page holds at most " + count(data.cap) + " per " + data.period + " and term group; "
        : count(shown.length) + " listed (") + words;
      var list = listed(el, head);
      shown.forEach(function (found) { item(list, found.row, found.sources, found.context); });
      el.setAttribute("data-nf-listed", String(shown.length));
    }, function (error) {
      listed(el, "This browser cannot read the articles of this chart (" + error + ").");
    });
  }

  function articlesMention(n) { return count(n) + (Number(n) === 1 ? " article mentions" : " articles mention"); }

  // Empty the chart's list box, write its header and return the (empty) list.
  function listed(el, head) {
    var box = el.querySelector(".nf-drill");
    box.textContent = "";
    add(box, "p", head, "nf-drill-head");
    return add(box, "ol", undefined, "nf-drill-list");
  }

  // One article: date, source, title (a link when it has one), and its words in context, a (left, keyword, right)
  // triple per term group (an empty keyword: not found in context).
  function item(list, row, sources, context) {
    var line = add(list, "li");
    add(line, "time", row[1]);
    add(line, "span", " · " + sources[row[2]] + " · ", "nf-source");
    var title = add(line, row[4] ? "a" : "span", row[3] || "(no title)");
    if (row[4]) { title.href = row[4]; title.target = "_blank"; title.rel = "noopener noreferrer"; }
    for (var k = 0; k + 2 < context.length; k += 3) {
      if (!context[k + 1]) continue;
      var words = add(line, "div", undefined, "nf-kwic");
      add(words, "span", context[k]);
      add(words, "b", context[k + 1]);
      add(words, "span", context[k + 2]);
    }
  }

  // A payload the report packed (data-nf-packed="gzip": gzip'd JSON in base64), unpacked by the browser itself.
  function unpacked(element) {
    if (!element) return Promise.reject(new Error("no payload"));
    if (!element.hasAttribute("data-nf-packed")) return Promise.resolve(parsed(element));
    var bytes = Uint8Array.from(atob(JSON.parse(element.textContent)), function (ch) { return ch.charCodeAt(0); });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  // The term groups' lists as {set: {period: [{row, sources, context, order}, …]}}, unpacked once (a promise). A row
  // below the sample's length is the sample's, the others the payload's own (`extra`).
  function mentions(key, data) {
    var name = "mentions-" + key;
    if (!(name in payloads)) {
      payloads[name] = unpacked(document.getElementById("nf-" + name)).then(function (said) {
        var n = data.rows.length, lists = {};
        said.rows.forEach(function (r) {
          var row = r[0] < n ? data.rows[r[0]] : said.extra[r[0] - n], bySet = lists[r[1]] = lists[r[1]] || {};
          (bySet[row[0]] = bySet[row[0]] || []).push({row: row, sources: r[0] < n ? data.sources : said.sources,
                                                      context: r.slice(2), order: r[0]});
        });
        return {sets: said.sets, snippets: said.snippets, lists: lists};
      });
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
