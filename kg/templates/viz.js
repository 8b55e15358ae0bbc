/* diplograph viewer: draws the JSON in #dg-data with vis-network.
 * Every piece of text from the data is shown with textContent, never parsed as HTML;
 * links are made only for http(s) URLs. Exposes window.dgNetwork, dgSelectNode,
 * dgSelectEdge, dgFind, dgFilter, dgShown, and sets window.dgReady once drawn. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dg-data").textContent);
  var panel = document.getElementById("panel");
  var search = document.getElementById("search");
  var status = document.getElementById("status");
  var nodeById = new Map(data.nodes.map(function (n) { return [n.id, n]; }));
  var edgeById = new Map(data.edges.map(function (e) { return [e.id, e]; }));
  var dated = new Set(data.dated);

  document.getElementById("heading").textContent = data.title;
  document.title = data.title;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function tip(text) { return el("div", text, "dg-tip"); }
  function safeUrl(value) {
    try {
      var url = new URL(String(value));
      return (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
    } catch (err) { return null; }
  }
  function linkButton(text, onClick) {
    var b = el("button", text, "link");
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function source(title, date, url, confidence) {
    var p = el("p", null, "source");
    var href = safeUrl(url);
    var text = title || url || "unknown article";
    if (href) {
      var a = el("a", text);
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      p.append(a);
    } else {
      p.append(el("span", text));
    }
    if (date) { p.append(" \u00b7 " + date); }
    if (typeof confidence === "number") { p.append(" \u00b7 confidence " + confidence.toFixed(2)); }
    return p;
  }
  function nameOf(id) { var n = nodeById.get(id); return n ? n.label : id; }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function showHint() {
    panel.replaceChildren(el("p", "Click a node or an edge to see its names and the sentences it comes from.", "hint"));
  }

  function section(title, items, render) {
    if (!items.length) { return; }
    var list = el("ul");
    items.forEach(function (item) { var li = el("li"); render(li, item); list.append(li); });
    panel.append(el("h3", title + " (" + items.length + ")"), list);
  }
  function involvement(li, item) {
    if (nodeById.has(item.id)) {
      li.append(linkButton(item.label, function () { selectNode(item.id, true); }));
    } else {
      li.append(el("span", item.label));
    }
    if (item.date) { li.append(" \u00b7 " + item.date); }
    if (item.via) { li.append(el("span", " (via " + item.via + ")", "via")); }
  }

  function showNode(id) {
    var n = nodeById.get(id);
    if (!n) { return; }
    panel.replaceChildren(el("h2", n.label), el("p", n.dgType, "type"));
    section("Also known as", n.alt, function (li, name) { li.textContent = name; });
    section("Positions", n.positions, function (li, p) { li.textContent = p; });
    var facts = n.facts.slice();
    if (n.when && !n.date) { facts.push("reported " + n.when); }
    section("Facts", facts, function (li, f) { li.textContent = f; });
    section("Meetings", n.meetings, involvement);
    section("Agreements", n.agreements, involvement);
    var rel = data.edges.filter(function (e) { return e.from === id || e.to === id; });
    section("Relations", rel, function (li, e) {
      var other = e.from === id ? e.to : e.from;
      var arrow = e.from === id ? " \u2192 " : " \u2190 ";
      li.append(linkButton(e.label + arrow + nameOf(other), function () { selectEdge(e.id); }));
      li.append(" (" + e.evidence.length + ")");
    });
    if (n.sources.length) {
      panel.append(el("h3", "Mentioned in (" + n.sources.length + ")"));
      n.sources.forEach(function (s) { panel.append(source(s.article, s.date, s.url)); });
    }
  }

  function showEdge(id) {
    var e = edgeById.get(id);
    if (!e) { return; }
    var head = el("h2");
    head.append(linkButton(nameOf(e.from), function () { selectNode(e.from, true); }),
      " \u2014 " + e.label + " \u2192 ",
      linkButton(nameOf(e.to), function () { selectNode(e.to, true); }));
    var support = "Supported by " + plural(e.support, "article");
    if (e.sources) { support += ", " + plural(e.sources, "independent source"); }
    if (typeof e.confidence === "number") { support += "; confidence " + e.confidence.toFixed(2); }
    panel.replaceChildren(head, el("p", e.kind, "type"), el("p", support, "support"),
      el("h3", "Evidence (" + e.evidence.length + ")"));
    if (!e.evidence.length) { panel.append(el("p", "No source sentence recorded.", "hint")); }
    var list = el("ol", null, "evidence");
    e.evidence.forEach(function (ev) {
      var li = el("li");
      li.append(el("blockquote", ev.sentence || "(no sentence recorded)"),
        source(ev.article, ev.date, ev.url, ev.confidence));
      list.append(li);
    });
    panel.append(list);
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return Object.assign({}, n, { title: tip(n.title) });
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return Object.assign({}, e, { title: tip(e.title) });
  }));
  var network = new vis.Network(document.getElementById("graph"), {}, data.options);
  window.dgNetwork = network;

  function selectNode(id, focus) {
    if (!nodeById.has(id)) { return; }
    var shown = nodes.get(id);
    if (shown && !shown.hidden) {
      network.selectNodes([id]);
      if (focus) { network.focus(id, { scale: 1.2, locked: false, animation: { duration: 300 } }); }
    }
    showNode(id);
  }
  function selectEdge(id) {
    if (!edgeById.has(id)) { return; }
    var shown = edges.get(id);
    if (shown && !shown.hidden) { network.selectEdges([id]); }
    showEdge(id);
  }
  window.dgSelectNode = selectNode;
  window.dgSelectEdge = selectEdge;

  var ready = false;
  function counts() {
    var shown = visible();
    return shown.nodes.length + " of " + data.nodes.length + " nodes, " +
      shown.edges.length + " of " + data.edges.length + " edges";
  }
  function markReady() {
    if (ready) { return; }
    ready = true;
    if (!data.large) { network.setOptions({ physics: { enabled: false } }); }
    status.textContent = counts();
    window.dgReady = true;
  }
  network.on("stabilizationProgress", function (p) {
    status.textContent = "laying out\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  if (data.large) {
    network.once("afterDrawing", markReady);
  } else {
    network.once("stabilizationIterationsDone", markReady);
  }
  network.on("click", function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); }
    else if (p.edges.length) { showEdge(p.edges[0]); }
    else { showHint(); }
  });
  network.setData({ nodes: nodes, edges: edges });
  if (!data.nodes.length) { markReady(); }

  /* Filters: types, relation kinds, and a date range over meetings, agreements and events
     (their own date or the date first reported; a coarse date counts as its whole period). */
  var typeOn = {};
  var kindOn = {};
  function checkbox(box, value, text, count, on) {
    var label = el("label");
    var input = document.createElement("input");
    input.type = "checkbox";
    input.checked = true;
    input.value = value;
    input.addEventListener("change", function () { on[value] = input.checked; applyFilters(); });
    on[value] = true;
    label.append(input, " " + text + " ", el("span", "(" + count + ")", "count"));
    box.append(label);
  }
  var typeBox = document.getElementById("filter-types");
  data.types.forEach(function (t) {
    var n = data.nodes.filter(function (x) { return x.dgType === t; }).length;
    checkbox(typeBox, t, t, n, typeOn);
  });
  var kindBox = document.getElementById("filter-kinds");
  data.kinds.forEach(function (k) {
    var n = data.edges.filter(function (x) { return x.kind === k[0]; }).length;
    checkbox(kindBox, k[0], k[1], n, kindOn);
  });
  var since = document.getElementById("since");
  var until = document.getElementById("until");
  var undated = document.getElementById("undated");
  var whens = data.nodes.filter(function (n) { return dated.has(n.dgType) && n.when; })
    .map(function (n) { return n.when; }).sort();
  if (whens.length) {
    since.min = until.min = period(whens[0])[0];
    since.max = until.max = period(whens[whens.length - 1])[1];
  }
  function period(d) {
    d = String(d).slice(0, 10);
    return [d + "-01-01".slice(d.length - 4), d + "-12-31".slice(d.length - 4)];
  }
  function inRange(when, from, to) {
    if (!from && !to) { return true; }
    if (!when) { return undated.checked; }
    return (!from || period(when)[1] >= from) && (!to || period(when)[0] <= to);
  }
  function nodeShown(n) {
    return typeOn[n.dgType] !== false &&
      (!dated.has(n.dgType) || inRange(n.when, since.value, until.value));
  }
  function visible() {
    return {
      nodes: nodes.getIds({ filter: function (n) { return !n.hidden; } }),
      edges: edges.getIds({ filter: function (e) { return !e.hidden; } })
    };
  }
  function applyFilters() {
    var shownNodes = new Set();
    var nodeChanges = [];
    data.nodes.forEach(function (n) {
      var show = nodeShown(n);
      if (show) { shownNodes.add(n.id); }
      if (!show !== !!nodes.get(n.id).hidden) { nodeChanges.push({ id: n.id, hidden: !show }); }
    });
    var edgeChanges = [];
    data.edges.forEach(function (e) {
      var show = kindOn[e.kind] !== false && shownNodes.has(e.from) && shownNodes.has(e.to);
      if (!show !== !!edges.get(e.id).hidden) { edgeChanges.push({ id: e.id, hidden: !show }); }
    });
    nodes.update(nodeChanges);
    edges.update(edgeChanges);
    var selected = network.getSelectedNodes().filter(function (id) { return shownNodes.has(id); });
    if (selected.length !== network.getSelectedNodes().length) { network.unselectAll(); }
    if (ready) { status.textContent = counts(); }
  }
  [since, until, undated].forEach(function (input) {
    input.addEventListener("change", applyFilters);
    input.addEventListener("input", applyFilters);
  });
  document.getElementById("reset").addEventListener("click", function () {
    document.querySelectorAll("#filters input[type=checkbox]").forEach(function (c) {
      c.checked = true;
    });
    Object.keys(typeOn).forEach(function (k) { typeOn[k] = true; });
    Object.keys(kindOn).forEach(function (k) { kindOn[k] = true; });
    since.value = until.value = "";
    applyFilters();
  });
  window.dgShown = visible;
  window.dgFilter = applyFilters;

  /* Search: any name (label or alternative), accents and case ignored;
     exact match first, then prefix, then substring. Hidden nodes are found too
     (their details show; the filters decide what is drawn). */
  function norm(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  var names = [];
  data.nodes.forEach(function (n) {
    [n.label].concat(n.alt).forEach(function (name) { names.push([norm(name), n.id, name]); });
  });
  var datalist = document.getElementById("dg-names");
  Array.from(new Set(names.map(function (x) { return x[2]; }))).sort().forEach(function (name) {
    var o = document.createElement("option");
    o.value = name;
    datalist.append(o);
  });
  function find(query) {
    var q = norm(query);
    if (!q) { return null; }
    var tests = [
      function (n) { return n === q; },
      function (n) { return n.startsWith(q); },
      function (n) { return n.indexOf(q) >= 0; }
    ];
    for (var i = 0; i < tests.length; i++) {
      var hit = names.find(function (x) { return tests[i](x[0]); });
      if (hit) { return hit[1]; }
    }
    return null;
  }
  function runSearch() {
    var id = find(search.value);
    if (id) {
      selectNode(id, true);
      status.textContent = "found " + nameOf(id);
    } else if (search.value.trim()) {
      network.unselectAll();
      status.textContent = "no match";
    }
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); runSearch(); }
  });
  window.dgFind = find;
})();
