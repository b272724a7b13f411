// The eventwire dashboard: plain DOM and SVG, no framework, no build step.
//
// One rule keeps it safe: everything that comes from an article (text, titles, names, quotes,
// URLs) is written with textContent or setAttribute on elements we create — never innerHTML —
// and a link is made only for http(s) URLs. The server's Content-Security-Policy forbids inline
// script as well, so a payload in an article has two walls to get through.
"use strict";

(function () {
  const PAGE = 100;
  // One colour per PLOVER type, grouped so cooperation reads blue/green and conflict orange/red.
  const TYPE_COLOURS = {
    AGREE: "#1b9e77", CONSULT: "#66c2a5", SUPPORT: "#4daf4a", CONCEDE: "#a6d854",
    COOPERATE: "#2b8cbe", AID: "#74a9cf", RETREAT: "#b3de69", REQUEST: "#8da0cb",
    ACCUSE: "#fdae61", REJECT: "#f46d43", THREATEN: "#d73027", PROTEST: "#fee08b",
    SANCTION: "#bf812d", MOBILIZE: "#e7298a", COERCE: "#a50026", ASSAULT: "#67001f",
  };
  const STANCE_CLASS = {
    demands: "st-demands", demand: "st-demands", offers: "st-offers", offer: "st-offers",
    accepts: "st-accepts", accept: "st-accepts", rejects: "st-rejects", reject: "st-rejects",
    threatens: "st-threatens",
  };

  const $ = (id) => document.getElementById(id);

  // -- small DOM helpers (text only) -------------------------------------------------------
  // text-only DOM helpers, shared with the network view (network.js loads first)
  const { el, svg, svgTitle, clear } = window.EventwireDom;

  function safeHref(url) {
    // Only web links; "javascript:", "data:" and the like are shown as text, never followed.
    try {
      const u = new URL(String(url), window.location.href);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = !message;
  }

  async function api(path, params) {
    const url = new URL(path, window.location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
    }
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      throw new Error((body && body.detail) || `${response.status} ${response.statusText}`);
    }
    return body;
  }

  // -- row accessors: tolerate the store's column names ------------------------------------
  function party(row, side) {
    const v = row[side];
    if (v && typeof v === "object") return v.name || "";
    return row[side + "_name"] || (typeof v === "string" ? v : "") || "";
  }
  function eventDate(row) {
    // The event's own day when the text fixes one, else the publication day (weeks, months: published).
    for (const v of [row.date, row.day, row.published]) {
      if (v && /^\d{4}-\d{2}-\d{2}/.test(String(v))) return String(v).slice(0, 10);
    }
    return String(row.date || "");
  }
  function articleIdOf(row) {
    return row.article_id || row.article || null;
  }
  function eventIdOf(row) {
    return row.event_id || row.local_id || row.eid || row.id || null;
  }
  function triggerText(row) {
    const t = row.trigger;
    if (t && typeof t === "object") return t.text || "";
    return row.trigger_text || (typeof t === "string" ? t : "") || "";
  }

  // -- routing -----------------------------------------------------------------------------
  const pages = ["overview", "positions-page", "articles-page", "article-page"];
  function show(page) {
    for (const p of pages) $(p).hidden = p !== page;
  }

  async function route() {
    showError("");
    const hash = window.location.hash.replace(/^#/, "") || "/";
    const parts = hash.split("?");
    const path = parts[0];
    const query = new URLSearchParams(parts[1] || "");
    try {
      if (path.startsWith("/article/")) {
        show("article-page");
        await loadArticle(decodeURIComponent(path.slice("/article/".length)), query.get("event"));
      } else if (path === "/positions") {
        show("positions-page");
        await loadPositions();
      } else if (path === "/articles") {
        show("articles-page");
        await loadArticles(query.get("q"));
      } else {
        show("overview");
        await loadOverview();
      }
      document.body.dataset.ready = "1";
    } catch (err) {
      showError(String(err.message || err));
      document.body.dataset.ready = "1";
    }
  }

  // -- overview ----------------------------------------------------------------------------
  let overviewLoaded = false;
  let eventFilter = {};
  let eventOffset = 0;

  async function loadOverview() {
    if (!overviewLoaded) {
      const meta = await api("/api/meta");
      setCounts(meta.counts || {});
      fillSelect(document.querySelector("#event-form select[name=type]"), meta.plover_types || []);
      fillSelect(document.querySelector("#event-form select[name=status]"), meta.statuses || []);
      fillSelect(document.querySelector("#network-form select[name=type]"), meta.plover_types || []);
      overviewLoaded = true;
    }
    const summary = await api("/api/summary");
    drawTimeline(summary.timeline || []);
    await networkView().show(summary);
    await Promise.all([loadEvents(eventFilter, false), loadStories()]);
  }

  function setCounts(counts) {
    const parts = [];
    for (const k of ["articles", "events", "actors", "quotes", "stories"]) {
      if (counts[k] !== undefined) parts.push(`${counts[k]} ${k}`);
    }
    $("counts").textContent = parts.join(" · ");
  }

  function fillSelect(select, values) {
    if (select.options.length > 1) return;
    for (const v of values) select.appendChild(el("option", { value: v, text: v }));
  }

  async function loadEvents(filter, append) {
    eventFilter = filter || {};
    if (!append) eventOffset = 0;
    const page = await api("/api/events", { ...eventFilter, limit: PAGE, offset: eventOffset });
    const body = $("event-rows");
    if (!append) clear(body);
    for (const row of page.items) body.appendChild(eventRow(row));
    eventOffset += page.items.length;
    $("events-more").hidden = page.items.length < PAGE;
    const described = Object.entries(eventFilter).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`);
    $("event-filter").textContent = described.length ? `filtered: ${described.join(", ")}` : "";
    if (!append && !page.items.length) {
      body.appendChild(el("tr", {}, el("td", { colspan: 6, class: "empty", text: "no events" })));
    }
  }

  function eventRow(row) {
    const aid = articleIdOf(row);
    const eid = eventIdOf(row);
    const open = () => {
      if (aid) window.location.hash = `#/article/${encodeURIComponent(aid)}` + (eid ? `?event=${encodeURIComponent(eid)}` : "");
    };
    const tr = el("tr", { class: "clickable", tabindex: 0, onclick: open,
                          onkeydown: (e) => { if (e.key === "Enter") open(); } },
      el("td", { text: eventDate(row) }),
      el("td", {}, el("span", { class: "type-chip", style: null, text: row.type || "" })),
      el("td", { text: row.status || "" }),
      el("td", { text: party(row, "source") }),
      el("td", { text: party(row, "target") }),
      el("td", { class: "words", text: triggerText(row) }));
    const chip = tr.querySelector(".type-chip");
    chip.style.background = TYPE_COLOURS[row.type] || "#999";
    return tr;
  }

  async function loadStories() {
    const body = clear($("story-rows"));
    let page;
    try {
      page = await api("/api/stories", { limit: 20 });
    } catch (err) {
      body.appendChild(el("tr", {}, el("td", { colspan: 6, class: "empty", text: String(err.message) })));
      return;
    }
    for (const s of page.items) {
      const aid = s.article_id || s.first_article_id || null;
      const open = () => { if (aid) window.location.hash = `#/article/${encodeURIComponent(aid)}`; };
      body.appendChild(el("tr", { class: aid ? "clickable" : "", onclick: open },
        el("td", { text: String(s.first_reported || s.first_report || s.date || "").slice(0, 10) }),
        el("td", { text: s.type || "" }),
        el("td", { text: party(s, "source") }),
        el("td", { text: party(s, "target") }),
        el("td", { text: s.num_articles ?? s.articles ?? s.n_articles ?? "" }),
        el("td", { text: s.num_sources ?? s.sources ?? s.n_sources ?? "" })));
    }
    if (!page.items.length) body.appendChild(el("tr", {}, el("td", { colspan: 6, class: "empty", text: "no stories yet" })));
  }

  // -- timeline: stacked bars, one per day (or month when the range is long) --------------
  function drawTimeline(days) {
    const box = clear($("timeline"));
    const legend = clear($("timeline-legend"));
    if (!days.length) {
      box.appendChild(el("p", { class: "empty", text: "no dated events" }));
      return;
    }
    let buckets = days;
    let byMonth = false;
    if (days.length > 90) {
      byMonth = true;
      const months = new Map();
      for (const d of days) {
        const m = d.date.slice(0, 7);
        const b = months.get(m) || { date: m, types: {}, total: 0 };
        for (const [t, n] of Object.entries(d.types)) b.types[t] = (b.types[t] || 0) + n;
        b.total += d.total;
        months.set(m, b);
      }
      buckets = Array.from(months.values());
    }
    const width = Math.max(box.clientWidth || 900, 300);
    const height = 220, left = 36, bottom = 40, top = 10;
    const max = Math.max(...buckets.map((b) => b.total), 1);
    const step = (width - left - 10) / buckets.length;
    const barW = Math.max(2, Math.min(40, step * 0.8));
    const root = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
                              "aria-label": "events per " + (byMonth ? "month" : "day") + " and type" });
    const scaleY = (n) => (height - bottom - top) * (n / max);
    root.appendChild(svg("line", { x1: left, y1: height - bottom, x2: width - 5, y2: height - bottom, class: "axis" }));
    for (const tick of [0, Math.round(max / 2), max]) {
      const y = height - bottom - scaleY(tick);
      root.appendChild(svg("text", { x: left - 4, y: y + 4, class: "tick", "text-anchor": "end" })).textContent = String(tick);
    }
    const seen = new Set();
    const labelEvery = Math.ceil(buckets.length / Math.max(1, Math.floor((width - left) / 70)));
    buckets.forEach((b, i) => {
      const x = left + i * step + (step - barW) / 2;
      let y = height - bottom;
      for (const type of Object.keys(TYPE_COLOURS).concat(Object.keys(b.types).filter((t) => !(t in TYPE_COLOURS)))) {
        const n = b.types[type];
        if (!n) continue;
        seen.add(type);
        const h = scaleY(n);
        y -= h;
        const rect = svg("rect", { x, y, width: barW, height: Math.max(h, 0.5), fill: TYPE_COLOURS[type] || "#999",
                                   class: "bar", "data-date": b.date, "data-type": type, "data-count": n });
        svgTitle(rect, `${b.date} ${type}: ${n}`);
        rect.addEventListener("click", () => {
          const since = byMonth ? `${b.date}-01` : b.date;
          const until = byMonth ? lastDayOfMonth(b.date) : b.date;
          loadEvents({ type, since, until }, false).catch((e) => showError(e.message));
          $("event-rows").scrollIntoView({ behavior: "smooth", block: "nearest" });
        });
        root.appendChild(rect);
      }
      if (i % labelEvery === 0) {
        root.appendChild(svg("text", { x: x + barW / 2, y: height - bottom + 14, class: "tick", "text-anchor": "middle" })).textContent = b.date;
      }
    });
    box.appendChild(root);
    for (const type of Object.keys(TYPE_COLOURS)) {
      if (!seen.has(type)) continue;
      const sw = el("span", { class: "swatch" });
      sw.style.background = TYPE_COLOURS[type];
      legend.appendChild(el("span", { class: "legend-item" }, sw, type));
    }
  }

  function lastDayOfMonth(ym) {
    const [y, m] = ym.split("-").map(Number);
    const d = new Date(Date.UTC(y, m, 0));
    return d.toISOString().slice(0, 10);
  }

  // -- network: laid out and drawn by network.js ------------------------------------------
  let network = null;
  function networkView() {
    if (!network) {
      network = window.EventwireNetwork.mount({
        box: $("network"), caption: $("network-caption"), edgePanel: $("network-edge"), form: $("network-form"),
        api, showError, typeColours: TYPE_COLOURS,
        onActor: (name) => loadEvents({ actor: name }, false).catch((e) => showError(e.message)),
      });
    }
    return network;
  }

  // -- positions matrix --------------------------------------------------------------------
  async function loadPositions() {
    const data = await api("/api/positions");
    const box = clear($("positions"));
    clear($("position-evidence"));
    const legend = clear($("stance-legend"));
    for (const s of ["demands", "offers", "accepts", "rejects", "threatens"]) {
      legend.appendChild(el("span", { class: `legend-item stance ${STANCE_CLASS[s]}`, text: s }));
    }
    const rows = data.items || [];
    if (!rows.length) {
      box.appendChild(el("p", { class: "empty", text: "no positions yet" }));
      return;
    }
    const byConflict = new Map();
    for (const r of rows) {
      const c = r.conflict || "";
      if (!byConflict.has(c)) byConflict.set(c, []);
      byConflict.get(c).push(r);
    }
    for (const [conflict, items] of byConflict) {
      const issues = [...new Set(items.map(issueOf))];
      const parties = [...new Set(items.map(partyOf))];
      const cell = new Map(items.map((r) => [issueOf(r) + "\u0000" + partyOf(r), r]));
      if (conflict) box.appendChild(el("h3", { text: conflict }));
      const head = el("tr", {}, el("th", { text: "issue" }), ...parties.map((p) => el("th", { text: p })));
      const body = el("tbody");
      for (const issue of issues) {
        const tr = el("tr", {}, el("th", { class: "issue", text: issue }));
        for (const p of parties) {
          const r = cell.get(issue + "\u0000" + p);
          if (!r) { tr.appendChild(el("td", { class: "stance none", text: "" })); continue; }
          const stance = String(r.stance || "").toLowerCase();
          tr.appendChild(el("td", { class: `stance ${STANCE_CLASS[stance] || ""} clickable`, text: stance,
                                    tabindex: 0, "data-issue": issue, "data-party": p,
                                    onclick: () => showPosition(r) }));
        }
        body.appendChild(tr);
      }
      box.appendChild(el("table", { class: "matrix" }, el("thead", {}, head), body));
    }
    drawTimelines(byConflict);
  }

  // Per issue, each party's stances over time: one track per party, one point per statement,
  // placed by date on the conflict's time axis; every point links to its evidence in the article.
  function drawTimelines(byConflict) {
    const box = clear($("positions-timeline"));
    for (const [conflict, items] of byConflict) {
      const points = items.flatMap((r) => (Array.isArray(r.history) ? r.history : []).map((h) => ({ r, h })));
      const days = points.map((p) => Date.parse(String(p.h.date || "").slice(0, 10))).filter((t) => !Number.isNaN(t));
      if (!days.length) continue;
      const lo = Math.min(...days), hi = Math.max(...days), span = Math.max(hi - lo, 1);
      const where = (d) => { const t = Date.parse(String(d || "").slice(0, 10)); return Number.isNaN(t) ? 0 : 100 * (t - lo) / span; };
      const section = el("section", { class: "timeline-conflict", "data-conflict": conflict });
      section.appendChild(el("h3", { text: `${conflict}: stances over time (${new Date(lo).toISOString().slice(0, 10)} – ${new Date(hi).toISOString().slice(0, 10)})` }));
      for (const issue of [...new Set(items.map(issueOf))]) {
        const block = el("div", { class: "timeline-issue", "data-issue": issue }, el("h4", { text: issue }));
        for (const r of items.filter((x) => issueOf(x) === issue)) {
          const track = el("div", { class: "track" });
          for (const h of (Array.isArray(r.history) ? r.history : [])) {
            const he = evidenceOf(h);
            const q = Number.isInteger(he.start) ? `?span=${he.start}-${he.end}` : "";
            const stance = String(h.stance || "").toLowerCase();
            const point = track.appendChild(el("a", {
              class: `point stance ${STANCE_CLASS[stance] || ""}`,
              href: h.article_id ? `#/article/${encodeURIComponent(h.article_id)}${q}` : null,
              title: `${String(h.date || "undated").slice(0, 10)} ${partyOf(r)} ${stance}: ${he.text}`,
              "data-stance": stance, "data-date": String(h.date || ""), text: stance.slice(0, 1).toUpperCase(),
            }));
            point.style.left = `${where(h.date).toFixed(2)}%`;  // CSSOM: the page's CSP forbids style attributes
          }
          block.appendChild(el("div", { class: "timeline-row", "data-party": partyOf(r) },
            el("span", { class: "timeline-party", text: partyOf(r) }), track));
        }
        section.appendChild(block);
      }
      box.appendChild(section);
    }
  }

  function issueOf(r) { return r.issue_label || r.issue || r.issue_id || ""; }
  function partyOf(r) { return r.party || r.party_name || r.actor || r.actor_name || ""; }

  function evidenceOf(r) {
    const e = r.evidence;
    if (e && typeof e === "object") return { text: e.text || "", start: e.start, end: e.end };
    return { text: r.evidence_text || (typeof e === "string" ? e : "") || r.quote || r.sentence || "",
             start: r.evidence_start ?? r.start, end: r.evidence_end ?? r.end };
  }

  function showPosition(r) {
    const box = clear($("position-evidence"));
    const ev = evidenceOf(r);
    const aid = r.article_id || null;
    box.appendChild(el("h3", { text: `${partyOf(r)} ${r.stance || ""} — ${issueOf(r)}` }));
    if (r.article_title) box.appendChild(el("p", { class: "meta", text: r.article_title }));
    box.appendChild(el("blockquote", { text: ev.text || "(no evidence text)" }));
    const meta = el("p", { class: "meta" }, String(r.date || r.published || "").slice(0, 10) + " ");
    if (aid) {
      const q = ev.start !== undefined && ev.start !== null ? `?span=${ev.start}-${ev.end}` : "";
      meta.appendChild(el("a", { href: `#/article/${encodeURIComponent(aid)}${q}`, text: "open the article" }));
    }
    box.appendChild(meta);
    const history = r.history || [];
    if (Array.isArray(history) && history.length) {
      box.appendChild(el("h4", { text: "history" }));
      const ol = el("ol");
      for (const h of history) {
        const he = evidenceOf(h);
        const li = el("li", {}, `${String(h.date || "").slice(0, 10)} ${h.stance || ""}: `, el("q", { text: he.text }));
        if (h.article_id) {
          const q = Number.isInteger(he.start) ? `?span=${he.start}-${he.end}` : "";
          li.appendChild(document.createTextNode(" "));
          li.appendChild(el("a", { href: `#/article/${encodeURIComponent(h.article_id)}${q}`, text: "article" }));
        }
        ol.appendChild(li);
      }
      box.appendChild(ol);
    }
  }

  // -- articles ----------------------------------------------------------------------------
  async function loadArticles(q) {
    const body = clear($("article-rows"));
    const form = $("search-form");
    form.elements.q.value = q || "";
    const page = q ? await api("/api/search", { q, limit: 100 }) : await api("/api/articles", { limit: 200 });
    for (const a of page.items) {
      const id = a.id || a.article_id;
      body.appendChild(el("tr", { class: "clickable", onclick: () => { window.location.hash = `#/article/${encodeURIComponent(id)}`; } },
        el("td", { text: String(a.published || "").slice(0, 10) }),
        el("td", {}, el("span", { text: a.title || id }), a.snippet ? el("div", { class: "snippet", text: a.snippet }) : null),
        el("td", { text: a.n_events ?? a.events ?? "" })));
    }
    if (!page.items.length) body.appendChild(el("tr", {}, el("td", { colspan: 3, class: "empty", text: "no articles" })));
  }

  // -- the article view: text with highlights, facts linked to their evidence --------------
  let current = null;  // { doc, chars, segments }

  async function loadArticle(id, eventId) {
    const row = await api(`/api/articles/${encodeURIComponent(id)}`);
    let doc = row.document;
    if (typeof doc === "string") doc = JSON.parse(doc);
    doc = doc || { text: row.text || "" };
    $("article-title").textContent = row.title || doc.title || id;
    $("article-published").textContent = String(row.published || doc.published || "").slice(0, 10);
    const link = $("article-url");
    const url = row.url || doc.url || "";
    const href = url ? safeHref(url) : null;
    link.textContent = url;
    if (href) link.setAttribute("href", href); else link.removeAttribute("href");
    renderText(doc);
    renderFacts(doc);
    clear($("evidence"));
    const query = new URLSearchParams((window.location.hash.split("?")[1]) || "");
    if (eventId) {
      const item = document.querySelector(`#fact-events li[data-id="${CSS.escape(eventId)}"]`);
      if (item) item.click();
    } else if (query.get("span")) {
      const [s, e] = query.get("span").split("-").map(Number);
      if (Number.isFinite(s) && Number.isFinite(e)) highlight([{ start: s, end: e }], "evidence");
    }
  }

  function spansOf(doc) {
    // Every highlighted range, with the kind of fact it belongs to.
    const out = [];
    for (const a of doc.actors || []) for (const m of a.mentions || []) out.push({ start: m.start, end: m.end, kind: "actor" });
    for (const e of doc.events || []) if (e.trigger) out.push({ start: e.trigger.start, end: e.trigger.end, kind: "event" });
    for (const q of doc.quotes || []) if (q.content) out.push({ start: q.content.start, end: q.content.end, kind: "quote" });
    for (const t of doc.timexes || []) out.push({ start: t.start, end: t.end, kind: "date" });
    for (const c of doc.claims || []) if (c.span) out.push({ start: c.span.start, end: c.span.end, kind: "claim" });
    // Evidence that is not highlighted by itself (arguments, places, sentences, cues) still cuts
    // the text, so that lighting it up marks exactly its characters.
    const cut = (span) => { if (span) out.push({ start: span.start, end: span.end, kind: null }); };
    for (const e of doc.events || []) {
      cut(e.sentence); cut(e.location_span);
      if (e.source) cut(e.source.mention);
      if (e.target) cut(e.target.mention);
    }
    for (const q of doc.quotes || []) { cut(q.cue); if (q.speaker) cut(q.speaker.mention); }
    return out.filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.end > s.start);
  }

  function renderText(doc) {
    const box = clear($("article-text"));
    // Offsets count Unicode code points (Python's str), so index code points, not UTF-16 units.
    const chars = Array.from(doc.text || "");
    const spans = spansOf(doc);
    const cuts = new Set([0, chars.length]);
    for (const s of spans) { cuts.add(Math.min(s.start, chars.length)); cuts.add(Math.min(s.end, chars.length)); }
    const bounds = [...cuts].sort((a, b) => a - b);
    const segments = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const start = bounds[i], end = bounds[i + 1];
      if (end <= start) continue;
      const kinds = new Set(spans.filter((s) => s.kind && s.start < end && start < s.end).map((s) => s.kind));
      const seg = el("span", { class: [...kinds].map((k) => "hl-" + k).join(" ") || null,
                               "data-start": start, "data-end": end, text: chars.slice(start, end).join("") });
      segments.push(seg);
      box.appendChild(seg);
    }
    current = { doc, chars, segments };
  }

  function highlight(ranges, label) {
    if (!current) return;
    for (const s of current.segments) s.classList.remove("evidence-active", "evidence-context");
    let first = null;
    const parts = [];
    for (const r of ranges) {
      if (!r || !Number.isInteger(r.start) || !Number.isInteger(r.end)) continue;
      const cls = r.context ? "evidence-context" : "evidence-active";
      for (const s of current.segments) {
        const a = Number(s.dataset.start), b = Number(s.dataset.end);
        if (a < r.end && r.start < b) {
          s.classList.add(cls);
          if (!first && !r.context) first = s;
        }
      }
      if (!r.context) parts.push(`${r.role ? r.role + " " : ""}[${r.start}–${r.end}] “${current.chars.slice(r.start, r.end).join("")}”`);
    }
    const box = clear($("evidence"));
    if (parts.length) {
      box.appendChild(el("strong", { text: label + ": " }));
      box.appendChild(document.createTextNode(parts.join("  ·  ")));
    }
    if (first && first.scrollIntoView) first.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function factItem(list, id, label, ranges, title) {
    const li = el("li", { class: "clickable", tabindex: 0, "data-id": id, title: title || null },
      el("span", { class: "fact-id", text: id }), " ", label);
    const activate = () => {
      for (const other of document.querySelectorAll(".facts-list li.active")) other.classList.remove("active");
      li.classList.add("active");
      highlight(ranges, id);
    };
    li.addEventListener("click", activate);
    li.addEventListener("keydown", (e) => { if (e.key === "Enter") activate(); });
    list.appendChild(li);
  }

  function refName(ref) { return ref ? ref.name || "?" : "–"; }

  function renderFacts(doc) {
    const events = clear($("fact-events")), quotes = clear($("fact-quotes")), actors = clear($("fact-actors"));
    const dates = clear($("fact-dates")), claims = clear($("fact-claims"));
    for (const e of doc.events || []) {
      const label = el("span", {},
        el("b", { text: e.type }), ` ${e.status || ""} · ${refName(e.source)} → ${refName(e.target)} · `,
        el("q", { text: e.trigger ? e.trigger.text : "" }), e.date ? ` · ${e.date}` : "");
      const ranges = [];
      if (e.sentence) ranges.push({ start: e.sentence.start, end: e.sentence.end, context: true });
      if (e.trigger) ranges.push({ start: e.trigger.start, end: e.trigger.end, role: "trigger" });
      if (e.source && e.source.mention) ranges.push({ ...e.source.mention, role: "source" });
      if (e.target && e.target.mention) ranges.push({ ...e.target.mention, role: "target" });
      if (e.location_span) ranges.push({ ...e.location_span, role: "place" });
      factItem(events, e.id, label, ranges,
               [e.cameo ? `CAMEO ${e.cameo}` : "", e.goldstein !== null && e.goldstein !== undefined ? `Goldstein ${e.goldstein}` : ""].filter(Boolean).join(" · "));
    }
    for (const q of doc.quotes || []) {
      const label = el("span", {}, el("b", { text: refName(q.speaker) }), ": ", el("q", { text: q.content ? q.content.text : "" }));
      const ranges = [];
      if (q.content) ranges.push({ start: q.content.start, end: q.content.end, role: "quote" });
      if (q.cue) ranges.push({ start: q.cue.start, end: q.cue.end, role: "cue" });
      if (q.speaker && q.speaker.mention) ranges.push({ ...q.speaker.mention, role: "speaker" });
      factItem(quotes, q.id, label, ranges, q.channel || null);
    }
    for (const a of doc.actors || []) {
      const label = el("span", {}, el("b", { text: a.name }),
        ` ${a.kind || ""}${a.country ? " · " + a.country : ""}${a.role ? " · " + a.role : ""} · ${(a.mentions || []).length}×`);
      factItem(actors, a.id, label, (a.mentions || []).map((m) => ({ start: m.start, end: m.end, role: m.how })));
    }
    for (const t of doc.timexes || []) {
      factItem(dates, t.id, el("span", {}, el("q", { text: t.text }), ` → ${t.value} (${t.type})`),
               [{ start: t.start, end: t.end, role: t.type }]);
    }
    for (const c of doc.claims || []) {
      const label = el("span", {}, el("q", { text: c.span ? c.span.text : "" }),
        ` = ${c.qualifier ? c.qualifier + " " : ""}${c.value}${c.value_max ? "–" + c.value_max : ""} ${c.unit || ""}${c.per ? " per " + c.per : ""}` +
        (c.claimant ? ` (${c.claimant.name})` : ""));
      factItem(claims, c.id, label, c.span ? [{ start: c.span.start, end: c.span.end, role: "number" }] : []);
    }
    for (const list of [events, quotes, actors, dates, claims]) {
      if (!list.children.length) list.appendChild(el("li", { class: "empty", text: "none" }));
    }
  }

  // -- wiring ------------------------------------------------------------------------------
  function init() {
    $("event-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const f = new FormData(e.target);
      const filter = {};
      for (const [k, v] of f.entries()) if (v) filter[k] = v;
      loadEvents(filter, false).catch((err) => showError(err.message));
    });
    $("event-form").addEventListener("reset", () => {
      setTimeout(() => loadEvents({}, false).catch((err) => showError(err.message)), 0);
    });
    $("events-more").addEventListener("click", () => loadEvents(eventFilter, true).catch((err) => showError(err.message)));
    $("search-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const q = e.target.elements.q.value.trim();
      window.location.hash = q ? `#/articles?q=${encodeURIComponent(q)}` : "#/articles";
    });
    window.addEventListener("hashchange", () => { document.body.dataset.ready = ""; route(); });
    route();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
