/* diplograph viewer: draws the JSON in #dg-data with vis-network.
 * Every piece of text from the data is shown with textContent, never parsed as HTML;
 * links are made only for http(s) URLs. Exposes window.dgNetwork, window.dgSelectNode,
 * window.dgSelectEdge and sets window.dgReady once the layout is done. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dg-data").textContent);
  var panel = document.getElementById("panel");
  var search = document.getElementById("search");
  var status = document.getElementById("status");
  var nodeById = new Map(data.nodes.map(function (n) { return [n.id, n]; }));
  var edgeById = new Map(data.edges.map(function (e) { return [e.id, e]; }));

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

  function showHint() {
    panel.replaceChildren(el("p", "Click a node or an edge to see its names and the sentences it comes from.", "hint"));
  }

  function showNode(id) {
    var n = nodeById.get(id);
    if (!n) { return; }
    panel.replaceChildren(el("h2", n.label), el("p", n.dgType, "type"));
    if (n.alt.length) {
      panel.append(el("h3", "Also known as"));
      var alt = el("ul");
      n.alt.forEach(function (name) { alt.append(el("li", name)); });
      panel.append(alt);
    }
    if (n.facts.length) {
      var facts = el("ul");
      n.facts.forEach(function (f) { facts.append(el("li", f)); });
      panel.append(el("h3", "Facts"), facts);
    }
    var rel = data.edges.filter(function (e) { return e.from === id || e.to === id; });
    if (rel.length) {
      var list = el("ul");
      rel.forEach(function (e) {
        var li = el("li");
        var other = e.from === id ? e.to : e.from;
        var arrow = e.from === id ? " \u2192 " : " \u2190 ";
        li.append(linkButton(e.label + arrow + nameOf(other), function () { selectEdge(e.id); }));
        li.append(" (" + e.evidence.length + ")");
        list.append(li);
      });
      panel.append(el("h3", "Relations"), list);
    }
    if (n.sources.length) {
      panel.append(el("h3", "Mentioned in"));
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
    var articles = new Set(e.evidence.map(function (ev) { return ev.article; })).size;
    var sources = Math.max.apply(null, [0].concat(e.evidence.map(function (ev) {
      return ev.sources || 0; })));
    panel.replaceChildren(head, el("p", e.kind, "type"),
      el("p", "Supported by " + articles + " article(s)" +
        (sources ? ", " + sources + " independent source(s)" : ""), "support"),
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
    network.selectNodes([id]);
    if (focus) { network.focus(id, { scale: 1.2, animation: { duration: 300 } }); }
    showNode(id);
  }
  function selectEdge(id) {
    if (!edgeById.has(id)) { return; }
    network.selectEdges([id]);
    showEdge(id);
  }
  window.dgSelectNode = selectNode;
  window.dgSelectEdge = selectEdge;

  var ready = false;
  function markReady() {
    if (ready) { return; }
    ready = true;
    network.setOptions({ physics: { enabled: false } });
    status.textContent = data.nodes.length + " nodes, " + data.edges.length + " edges";
    window.dgReady = true;
  }
  network.on("stabilizationProgress", function (p) {
    status.textContent = "laying out\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", markReady);
  network.on("click", function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); }
    else if (p.edges.length) { showEdge(p.edges[0]); }
    else { showHint(); }
  });
  network.setData({ nodes: nodes, edges: edges });
  if (!data.nodes.length) { markReady(); }

  /* Search: any name (label or alternative), accents and case ignored;
     exact match first, then prefix, then substring. */
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
