// The actor network of the dashboard: who acts on whom, laid out so every name can be read.
//
// Layout: a force-directed placement (Fruchterman–Reingold, deterministic start) in which each
// actor is the box of its circle AND its label, followed by an overlap-removal pass that pushes
// intersecting boxes apart along their shallower axis until none intersect (the canvas grows
// when the names need more room). A label that still cannot be placed is hidden (its name stays
// in the node's tooltip) and counted in the caption, so the picture never prints one name over
// another. Node area follows the number of events, edge colour cooperation vs conflict, edge
// width the number of events. Filters: PLOVER type, date range (both asked of the server), and
// a minimum number of events per edge (applied here). Clicking an edge lists its events with the
// sentence each rests on, the trigger marked.
//
// As in app.js, text from articles is only ever written with textContent.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const FONT = "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  const LABEL_H = 14;       // px: the line box of an 11px label
  const PAD = 3;            // px kept free around every actor box
  const MAX_LABEL = 30;     // characters shown; the full name is in the tooltip

  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    return node;
  }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = String(v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }
  function tooltip(node, text) {
    const t = document.createElementNS(SVG, "title");
    t.textContent = text;
    node.appendChild(t);
    return node;
  }

  let measureCtx = null;
  function textWidth(text) {
    if (!measureCtx) {
      measureCtx = document.createElement("canvas").getContext("2d");
      measureCtx.font = FONT;
    }
    return measureCtx.measureText(text).width;
  }
  function shortName(name) {
    return name.length > MAX_LABEL ? name.slice(0, MAX_LABEL - 1) + "…" : name;
  }

  // -- which nodes and edges are drawn ------------------------------------------------------
  function select(summary, minWeight, maxNodes) {
    const net = (summary && summary.network) || {};
    const edges = (net.edges || []).filter((e) => e.count >= minWeight);
    const linked = new Set(edges.flatMap((e) => [e.source, e.target]));
    const nodes = (net.nodes || []).filter((n) => linked.has(n.id)).slice(0, maxNodes);
    const keep = new Set(nodes.map((n) => n.id));
    return { nodes, edges: edges.filter((e) => keep.has(e.source) && keep.has(e.target)) };
  }

  // -- layout -------------------------------------------------------------------------------
  // Each actor is a box: its circle with the label centred underneath.
  function boxes(nodes, maxEvents) {
    return nodes.map((n, i) => {
      const r = 4 + 12 * Math.sqrt(n.events / maxEvents);
      const label = shortName(n.id);
      const w = textWidth(label);
      const halfW = Math.max(r, w / 2) + PAD;
      const top = r + PAD, bottom = r + 2 + LABEL_H + PAD;
      return { id: n.id, node: n, i, r, label, w, halfW, top, bottom, x: 0, y: 0, dx: 0, dy: 0 };
    });
  }

  function forceLayout(items, links, width, height) {
    const n = items.length;
    const byId = new Map(items.map((b) => [b.id, b]));
    // Deterministic start: busiest actors near the middle, on a widening spiral.
    items.forEach((b, i) => {
      const a = i * 2.399963;   // the golden angle spreads the spiral evenly
      const rad = Math.sqrt((i + 0.5) / n);
      b.x = width / 2 + (width / 2.4) * rad * Math.cos(a);
      b.y = height / 2 + (height / 2.4) * rad * Math.sin(a);
    });
    const area = width * height;
    const k = Math.sqrt(area / Math.max(n, 1)) * 0.75;
    let temp = width / 6;
    const aspect = width / height;
    for (let iter = 0; iter < 320; iter++) {
      for (const b of items) { b.dx = 0; b.dy = 0; }
      for (let i = 0; i < n; i++) {
        const p = items[i];
        for (let j = i + 1; j < n; j++) {
          const q = items[j];
          const dx = p.x - q.x, dy = p.y - q.y;
          const d = Math.max(Math.hypot(dx, dy), 0.01);
          // Wider labels push harder: the repulsion acts on the boxes' size, not only their centres.
          const size = (p.halfW + q.halfW) / 40 + 1;
          const f = (k * k * size) / d;
          p.dx += (dx / d) * f; p.dy += (dy / d) * f;
          q.dx -= (dx / d) * f; q.dy -= (dy / d) * f;
        }
      }
      for (const l of links) {
        const a = byId.get(l.source), b = byId.get(l.target);
        const dx = a.x - b.x, dy = a.y - b.y;
        const d = Math.max(Math.hypot(dx, dy), 0.01);
        const f = (d * d) / k;
        a.dx -= (dx / d) * f; a.dy -= (dy / d) * f;
        b.dx += (dx / d) * f; b.dy += (dy / d) * f;
      }
      for (const b of items) {
        // Gravity towards the middle, weaker along the long side so the drawing fills the canvas.
        b.dx -= ((b.x - width / 2) / aspect) * 0.05 * k / 10;
        b.dy -= (b.y - height / 2) * 0.05 * k / 10;
        const d = Math.max(Math.hypot(b.dx, b.dy), 0.01);
        b.x += (b.dx / d) * Math.min(d, temp);
        b.y += (b.dy / d) * Math.min(d, temp);
        clamp(b, width, height);
      }
      temp = Math.max(temp * 0.975, 0.5);
    }
  }

  function clamp(b, width, height) {
    b.x = Math.min(width - b.halfW, Math.max(b.halfW, b.x));
    b.y = Math.min(height - b.bottom, Math.max(b.top, b.y));
  }

  function overlap(p, q) {
    const ox = Math.min(p.x + p.halfW, q.x + q.halfW) - Math.max(p.x - p.halfW, q.x - q.halfW);
    const oy = Math.min(p.y + p.bottom, q.y + q.bottom) - Math.max(p.y - p.top, q.y - q.top);
    return ox > 0 && oy > 0 ? [ox, oy] : null;
  }

  // Push intersecting boxes apart along the axis where they overlap least, half each way.
  function removeOverlaps(items, width, height, rounds) {
    for (let round = 0; round < rounds; round++) {
      let moved = false;
      for (let i = 0; i < items.length; i++) {
        for (let j = i + 1; j < items.length; j++) {
          const p = items[i], q = items[j];
          const o = overlap(p, q);
          if (!o) continue;
          moved = true;
          const [ox, oy] = o;
          if (ox < oy) {
            const s = (p.x < q.x || (p.x === q.x && i < j) ? -1 : 1) * (ox / 2 + 0.5);
            p.x += s; q.x -= s;
          } else {
            const s = ((p.y - p.top + p.bottom) < (q.y - q.top + q.bottom) || (p.y === q.y && i < j) ? -1 : 1) * (oy / 2 + 0.5);
            p.y += s; q.y -= s;
          }
          clamp(p, width, height); clamp(q, width, height);
        }
      }
      if (!moved) return true;
    }
    return !items.some((p, i) => items.some((q, j) => j > i && overlap(p, q)));
  }

  function layout(items, links, width, minHeight) {
    // Room the boxes need (with slack for edges): the canvas grows rather than names overlapping.
    const need = items.reduce((s, b) => s + (2 * b.halfW) * (b.top + b.bottom), 0) * 3.2;
    let height = Math.max(minHeight, Math.min(1600, Math.ceil(need / width)));
    for (let attempt = 0; attempt < 4; attempt++) {
      forceLayout(items, links, width, height);
      if (removeOverlaps(items, width, height, 400)) return height;
      height = Math.min(2400, Math.round(height * 1.3));
    }
    return height;
  }

  // -- drawing ------------------------------------------------------------------------------
  function draw(view) {
    const { box, summary } = view;
    clear(box);
    const minWeight = view.minWeight, maxNodes = view.maxNodes;
    const { nodes, edges } = select(summary, minWeight, maxNodes);
    const caption = view.caption;
    if (!nodes.length) {
      box.appendChild(el("p", { class: "empty", text: minWeight > 1 ? `no edges with at least ${minWeight} events` : "no actors with events" }));
      if (caption) caption.textContent = "";
      return;
    }
    const width = Math.max(box.clientWidth || 900, 320);
    const maxEvents = Math.max(...nodes.map((n) => n.events), 1);
    const items = boxes(nodes, maxEvents);
    const height = layout(items, edges, width, 460);
    // Whatever still intersects after the layout is hidden rather than printed over another name.
    const hidden = new Set();
    for (let i = 0; i < items.length; i++) {
      if (hidden.has(items[i].id)) continue;
      for (let j = i + 1; j < items.length; j++) {
        if (!hidden.has(items[j].id) && overlap(items[i], items[j])) hidden.add(items[j].id);
      }
    }
    const pos = new Map(items.map((b) => [b.id, b]));
    const root = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "actor network" });
    const maxCount = Math.max(...edges.map((l) => l.count), 1);
    const edgeLayer = svg("g", { class: "edges" });
    for (const l of edges) {
      const a = pos.get(l.source), b = pos.get(l.target);
      const g = svg("g", { class: "edge-group", "data-source": l.source, "data-target": l.target, "data-count": l.count, tabindex: 0 });
      g.appendChild(svg("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: `edge ${l.kind}`,
                                  "stroke-width": (1 + 5 * Math.sqrt(l.count / maxCount)).toFixed(2) }));
      // A wide transparent twin makes a thin edge easy to click.
      g.appendChild(svg("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: "edge-hit" }));
      tooltip(g, `${l.source} → ${l.target}: ${l.count} events — ${l.cooperation} cooperation, ${l.conflict} conflict` +
                 (l.neutral ? `, ${l.neutral} other` : "") + ` (mean Goldstein ${l.goldstein}); click for the events`);
      const open = () => showEdge(view, l, g);
      g.addEventListener("click", open);
      g.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
      edgeLayer.appendChild(g);
    }
    root.appendChild(edgeLayer);
    const nodeLayer = svg("g", { class: "nodes" });
    for (const b of items) {
      const n = b.node;
      const g = svg("g", { class: "node", transform: `translate(${b.x.toFixed(1)},${b.y.toFixed(1)})`, "data-actor": n.id, "data-events": n.events });
      g.appendChild(svg("circle", { r: b.r.toFixed(1) }));
      const label = svg("text", { x: 0, y: b.r + 2 + 11, "text-anchor": "middle", class: hidden.has(b.id) ? "label hidden" : "label" });
      label.textContent = b.label;
      g.appendChild(label);
      tooltip(g, `${n.id}${n.country ? " (" + n.country + ")" : ""}: ${n.events} events — click to list them`);
      g.addEventListener("click", () => view.onActor && view.onActor(n.id));
      nodeLayer.appendChild(g);
    }
    root.appendChild(nodeLayer);
    box.appendChild(root);
    box.dataset.hiddenLabels = String(hidden.size);
    box.dataset.filter = JSON.stringify({ ...view.filter, min_weight: minWeight });
    const total = (summary.network || {}).nodes_total;
    if (caption) {
      caption.textContent = `${nodes.length} actors, ${edges.length} links` +
        (total && total > nodes.length ? ` (busiest ${nodes.length} of ${total} actors)` : "") +
        (hidden.size ? ` — ${hidden.size} names hidden for lack of room (hover a node)` : "");
    }
  }

  // -- an edge's events ---------------------------------------------------------------------
  function sentenceWithTrigger(row) {
    const text = row.sentence_text || "";
    const p = el("p", { class: "edge-sentence" });
    const s0 = Number(row.sentence_start), t0 = Number(row.trigger_start), t1 = Number(row.trigger_end);
    const a = t0 - s0, b = t1 - s0;
    if (Number.isFinite(a) && Number.isFinite(b) && a >= 0 && b <= text.length && a < b) {
      p.appendChild(document.createTextNode(text.slice(0, a)));
      p.appendChild(el("mark", { text: text.slice(a, b) }));
      p.appendChild(document.createTextNode(text.slice(b)));
    } else {
      p.textContent = text;
    }
    return p;
  }

  async function showEdge(view, edge, group) {
    const panel = view.edgePanel;
    for (const g of view.box.querySelectorAll(".edge-group.selected")) g.classList.remove("selected");
    group.classList.add("selected");
    clear(panel);
    panel.appendChild(el("h3", { text: `${edge.source} → ${edge.target}` },
      el("small", { text: ` ${edge.count} events: ${edge.cooperation} cooperation, ${edge.conflict} conflict` +
                          (edge.neutral ? `, ${edge.neutral} other` : "") })));
    let page;
    try {
      page = await view.api("/api/network/edge", { source: edge.source, target: edge.target, ...view.filter, limit: 50 });
    } catch (err) {
      panel.appendChild(el("p", { class: "empty", text: String(err.message || err) }));
      return;
    }
    const list = el("ol", { class: "edge-events", "data-testid": "edge-events" });
    for (const row of page.items) {
      const href = `#/article/${encodeURIComponent(row.article_id)}?event=${encodeURIComponent(row.event_id || "")}`;
      const chip = el("span", { class: "type-chip", text: row.type || "" });
      chip.style.background = (view.typeColours || {})[row.type] || "#999";
      list.appendChild(el("li", { class: "edge-event", "data-event": row.id },
        el("div", { class: "edge-meta" },
          el("span", { class: "edge-date", text: String(row.day || row.date || "").slice(0, 10) }), " ", chip, " ",
          el("span", { class: "edge-status", text: row.status || "" }), " ",
          el("span", { text: `${row.source_name || ""} → ${row.target_name || ""}` }), " ",
          el("a", { href, text: row.article_title || "article" })),
        sentenceWithTrigger(row)));
    }
    if (!page.items.length) list.appendChild(el("li", { class: "empty", text: "no events" }));
    panel.appendChild(list);
    if (page.count > page.items.length) {
      panel.appendChild(el("p", { class: "empty", text: `first ${page.items.length} of ${page.count}` }));
    }
  }

  // -- the view: filters, fetching, redrawing -----------------------------------------------
  function mount(options) {
    const view = {
      box: options.box, caption: options.caption, edgePanel: options.edgePanel, form: options.form,
      api: options.api, onActor: options.onActor, showError: options.showError || (() => {}),
      typeColours: options.typeColours, summary: null, filter: {}, minWeight: 1, maxNodes: 40,
    };
    async function refresh() {
      const data = new FormData(view.form);
      const filter = {};
      for (const k of ["type", "since", "until"]) {
        const v = String(data.get(k) || "");
        if (v) filter[k] = v;
      }
      view.minWeight = Math.max(1, parseInt(String(data.get("min_weight") || "1"), 10) || 1);
      view.maxNodes = Math.max(5, Math.min(150, parseInt(String(data.get("nodes") || "40"), 10) || 40));
      const same = JSON.stringify(filter) === JSON.stringify(view.filter) && view.summary;
      view.filter = filter;
      if (!same) view.summary = await view.api("/api/summary", { ...filter, nodes: 150 });
      clear(view.edgePanel);
      draw(view);
    }
    if (view.form) {
      view.form.addEventListener("submit", (e) => {
        e.preventDefault();
        refresh().catch((err) => view.showError(String(err.message || err)));
      });
      view.form.addEventListener("change", () => refresh().catch((err) => view.showError(String(err.message || err))));
    }
    return {
      // The overview's own summary (no filters) is drawn without a second request.
      show(summary) {
        if (Object.keys(view.filter).length) return refresh();
        view.summary = summary;
        draw(view);
        return Promise.resolve();
      },
      refresh,
    };
  }

  window.EventwireNetwork = { mount, select, textWidth };
  window.EventwireDom = { el, svg, svgTitle: tooltip, clear };
})();
