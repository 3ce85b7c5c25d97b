/* smartspec web pages: draws the plotly charts from the page's JSON data (no external requests). */
(function () {
  "use strict";
  const el = (id) => document.getElementById(id);
  const parse = (id) => { const n = el(id); return n ? JSON.parse(n.textContent) : {}; };
  const DATA = parse("page-data");
  const L = parse("labels");
  const CONFIG = { displaylogo: false, responsive: true, topojsonURL: "/static/topojson/", modeBarButtonsToRemove: ["select2d", "lasso2d"] };
  const EUROPE = { lon: [-24.5, 44.5], lat: [34.0, 71.2] };
  let geoPromise = null;
  const getGeo = () => (geoPromise = geoPromise || fetch("/api/geojson").then((r) => r.json()));
  const fmt = (v, d = 2) => (v === null || v === undefined ? "–" : Number(v).toFixed(d));
  const trunc = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

  function bboxOf(geo, codes) {
    const want = new Set(codes);
    let x0 = 180, x1 = -180, y0 = 90, y1 = -90;
    const walk = (c) => {
      if (typeof c[0] === "number") {
        if (c[1] < 30 && c[0] < -10) return; // skip far overseas parts (Canaries/Azores are kept for their own regions)
        x0 = Math.min(x0, c[0]); x1 = Math.max(x1, c[0]); y0 = Math.min(y0, c[1]); y1 = Math.max(y1, c[1]);
      } else c.forEach(walk);
    };
    geo.features.forEach((f) => { if (want.has(f.id)) walk(f.geometry.coordinates); });
    if (x0 > x1) return EUROPE;
    const px = Math.max(2, (x1 - x0) * 0.08), py = Math.max(1.5, (y1 - y0) * 0.08);
    return { lon: [x0 - px, x1 + px], lat: [y0 - py, y1 + py] };
  }

  function baseTrace(geo) {
    const ids = geo.features.map((f) => f.id);
    return {
      type: "choropleth", geojson: geo, featureidkey: "properties.NUTS_ID", locations: ids,
      z: ids.map(() => 0), colorscale: [[0, "#e6e6e6"], [1, "#e6e6e6"]], showscale: false,
      hoverinfo: "skip", marker: { line: { width: 0.3, color: "#ffffff" } },
    };
  }

  function geoLayout(range) {
    return {
      geo: {
        visible: false, showframe: false, projection: { type: "mercator" },
        lonaxis: { range: range.lon }, lataxis: { range: range.lat }, bgcolor: "rgba(0,0,0,0)",
      },
      margin: { l: 0, r: 0, t: 0, b: 0 }, paper_bgcolor: "rgba(0,0,0,0)", dragmode: "pan",
    };
  }

  async function choropleth(div, mp, opts = {}) {
    if (!div || !window.Plotly) return;
    const geo = await getGeo();
    const loc = [], z = [], text = [];
    mp.regions.forEach((r, i) => { if (mp.values[i] !== null) { loc.push(r); z.push(mp.values[i]); text.push(mp.names[i]); } });
    const label = opts.label || (mp.metric === "diversity" ? (L.diversity || mp.label) : mp.label);
    const trace = {
      type: "choropleth", geojson: geo, featureidkey: "properties.NUTS_ID", locations: loc, z: z, text: text,
      colorscale: opts.colorscale || "Viridis", reversescale: !!opts.reversescale,
      zmin: opts.zmin, zmax: opts.zmax, zmid: opts.zmid,
      hovertemplate: "<b>%{text}</b> (%{location})<br>" + label + ": %{z:.2f}<extra></extra>",
      marker: { line: { width: 0.3, color: "#ffffff" } },
      colorbar: { title: { text: label }, thickness: 14, len: 0.8 },
    };
    const traces = [baseTrace(geo), trace];
    if (opts.highlight) {
      traces.push({
        type: "choropleth", geojson: geo, featureidkey: "properties.NUTS_ID", locations: opts.highlight,
        z: opts.highlight.map(() => 1), colorscale: [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale: false,
        hoverinfo: "skip", marker: { line: { width: 2.5, color: "#d62728" } },
      });
    }
    const range = opts.focus ? bboxOf(geo, opts.focus) : EUROPE;
    await Plotly.newPlot(div, traces, geoLayout(range), CONFIG);
    div.on("plotly_click", (ev) => {
      const p = ev.points && ev.points[0];
      if (p && p.location && p.curveNumber === 1) window.location.href = "/region/" + encodeURIComponent(p.location);
    });
  }

  function specChart(div, prof) {
    if (!div) return;
    const s = prof.specialisations.slice(0, 15).reverse();
    Plotly.newPlot(div, [{
      type: "bar", orientation: "h", x: s.map((r) => r.rca), y: s.map((r) => trunc(r.activity + " " + r.name, 48)),
      customdata: s.map((r) => r.activity), marker: { color: "#2a6f97" },
      text: s.map((r) => fmt(r.rca)), textposition: "outside", cliponaxis: false,
      hovertemplate: "%{y}<br>RCA %{x:.2f}<extra></extra>",
    }], {
      margin: { l: 300, r: 40, t: 10, b: 40 }, xaxis: { title: { text: L.rca || "RCA" }, zeroline: true },
      yaxis: { automargin: true, tickfont: { size: 11 } }, height: 460,
      shapes: [{ type: "line", x0: 1, x1: 1, yref: "paper", y0: 0, y1: 1, line: { dash: "dot", color: "#888" } }],
    }, CONFIG);
    div.on("plotly_click", (ev) => { const p = ev.points[0]; if (p) window.location.href = "/activity/" + p.customdata; });
  }

  const QCOL = { high_high: "#2a9d8f", low_high: "#e9c46a", high_low: "#8ab17d", low_low: "#bbbbbb" };

  function oppChart(div, prof) {
    if (!div || !prof.opportunities.length) return;
    const o = prof.opportunities;
    const groups = {};
    o.forEach((r) => { (groups[r.quadrant] = groups[r.quadrant] || []).push(r); });
    const traces = Object.keys(groups).map((q) => ({
      type: "scatter", mode: "markers", name: L["q_" + q] || q,
      x: groups[q].map((r) => r.density), y: groups[q].map((r) => r.pci),
      customdata: groups[q].map((r) => [r.activity, r.name, (r.supporting || "–").split(/; | \| /).join("<br>   "),
        r.probability === null ? "–" : (100 * r.probability).toFixed(1) + "%"]),
      marker: { size: 11, color: QCOL[q] || "#666", line: { width: 0.5, color: "#333" } },
      hovertemplate: "<b>%{customdata[0]} %{customdata[1]}</b><br>" + (L.density || "density") + ": %{x:.3f}<br>" +
        (L.complexity || "complexity") + ": %{y:.2f}<br>" + (L.probability || "probability") + ": %{customdata[3]}<br>" +
        (L.supporting || "supported by") + ":<br>   %{customdata[2]}<extra></extra>",
    }));
    const dx = prof.density_threshold, py = prof.pci_threshold;
    const shapes = [];
    if (dx !== null && dx !== undefined) shapes.push({ type: "line", x0: dx, x1: dx, yref: "paper", y0: 0, y1: 1, line: { dash: "dash", color: "#555" } });
    if (py !== null && py !== undefined) shapes.push({ type: "line", y0: py, y1: py, xref: "paper", x0: 0, x1: 1, line: { dash: "dash", color: "#555" } });
    const ann = (x, y, key, xa, ya) => ({ xref: "paper", yref: "paper", x: x, y: y, text: L["q_" + key] || key, showarrow: false,
      xanchor: xa, yanchor: ya, font: { size: 12, color: "#555" }, bgcolor: "rgba(255,255,255,0.7)" });
    Plotly.newPlot(div, traces, {
      margin: { l: 60, r: 20, t: 10, b: 50 }, height: 520, hovermode: "closest",
      xaxis: { title: { text: (L.density || "Relatedness density") + " →" } },
      yaxis: { title: { text: (L.complexity || "Complexity") + " →" } },
      legend: { orientation: "h", y: -0.15 }, shapes: shapes,
      annotations: [ann(0.99, 0.99, "high_high", "right", "top"), ann(0.01, 0.99, "low_high", "left", "top"),
        ann(0.99, 0.01, "high_low", "right", "bottom"), ann(0.01, 0.01, "low_low", "left", "bottom")],
    }, CONFIG);
    div.on("plotly_click", (ev) => { const p = ev.points[0]; if (p) window.location.href = "/activity/" + p.customdata[0]; });
  }

  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];

  function spaceChart(div, sp) {
    if (!div) return;
    const pos = {};
    sp.nodes.forEach((n) => { pos[n.activity] = n; });
    const ex = [], ey = [];
    sp.edges.forEach((e) => { const a = pos[e.source], b = pos[e.target]; if (a && b) { ex.push(a.x, b.x, null); ey.push(a.y, b.y, null); } });
    const traces = [{ type: "scatter", mode: "lines", x: ex, y: ey, hoverinfo: "skip", showlegend: false,
      line: { width: 0.7, color: "rgba(120,120,120,0.45)" } }];
    const names = { specialised: div.dataset.specialised, not_specialised: div.dataset.notSpecialised, other: div.dataset.other };
    sp.groups.forEach((g, i) => {
      const ns = sp.nodes.filter((n) => n.group === g);
      const colour = g === "specialised" ? "#d62728" : (g === "not_specialised" || g === "other") ? "#c8c8c8" : PALETTE[i % PALETTE.length];
      traces.push({
        type: "scatter", mode: "markers+text", name: names[g] || g, x: ns.map((n) => n.x), y: ns.map((n) => n.y),
        text: ns.map((n) => n.activity), textposition: "top center", textfont: { size: 9, color: "#444" },
        customdata: ns.map((n) => [n.activity, n.name, n.value === null ? "–" : n.value.toFixed(2), n.pci === null ? "–" : n.pci.toFixed(2)]),
        marker: { size: 13, color: colour, line: { width: 0.8, color: "#333" } },
        hovertemplate: "<b>%{customdata[0]} %{customdata[1]}</b><br>RCA: %{customdata[2]}<br>PCI: %{customdata[3]}<extra></extra>",
      });
    });
    Plotly.newPlot(div, traces, {
      margin: { l: 10, r: 10, t: 10, b: 10 }, height: 680, hovermode: "closest", dragmode: "zoom",
      xaxis: { visible: false }, yaxis: { visible: false, scaleanchor: "x" },
      legend: { orientation: "h", x: 0, y: 0, yanchor: "top", bgcolor: "rgba(255,255,255,0.8)" },
    }, Object.assign({ scrollZoom: true }, CONFIG));
    div.on("plotly_click", (ev) => { const p = ev.points[0]; if (p && p.customdata) window.location.href = "/activity/" + p.customdata[0]; });
  }

  function neighbourhood(div, a) {
    // the activity in the middle, its most related activities around it: closer = more related
    if (!div || !a.related.length) return;
    const n = a.related.length;
    const pts = a.related.map((r, i) => {
      const ang = (2 * Math.PI * i) / n, rad = 0.15 + (1 - r.proximity);
      return { x: rad * Math.cos(ang), y: rad * Math.sin(ang), r: r };
    });
    const ex = [], ey = [];
    pts.forEach((p) => { ex.push(0, p.x, null); ey.push(0, p.y, null); });
    Plotly.newPlot(div, [
      { type: "scatter", mode: "lines", x: ex, y: ey, hoverinfo: "skip", showlegend: false, line: { color: "rgba(106,76,147,0.35)", width: 1.5 } },
      { type: "scatter", mode: "markers+text", x: pts.map((p) => p.x), y: pts.map((p) => p.y), text: pts.map((p) => p.r.activity),
        textposition: "top center", customdata: pts.map((p) => [p.r.activity, p.r.name, p.r.proximity.toFixed(2)]), showlegend: false,
        marker: { size: 14, color: pts.map((p) => p.r.pci), colorscale: "RdYlBu", reversescale: true, cmid: 0,
          colorbar: { title: { text: "PCI" }, thickness: 10, len: 0.7 }, line: { width: 0.8, color: "#333" } },
        hovertemplate: "<b>%{customdata[0]} %{customdata[1]}</b><br>" + (L.proximity || "Proximity") + ": %{customdata[2]}<extra></extra>" },
      { type: "scatter", mode: "markers+text", x: [0], y: [0], text: [a.activity], textposition: "bottom center", showlegend: false,
        marker: { size: 22, color: "#d62728", line: { width: 1, color: "#333" } }, hovertemplate: a.name + "<extra></extra>" },
    ], { margin: { l: 10, r: 10, t: 10, b: 10 }, height: 380, xaxis: { visible: false }, yaxis: { visible: false, scaleanchor: "x" },
      hovermode: "closest" }, CONFIG);
    div.on("plotly_click", (ev) => { const p = ev.points[0]; if (p && p.curveNumber === 1) window.location.href = "/activity/" + p.customdata[0]; });
  }

  function relatedChart(div, a) {
    if (!div || !a.related.length) return;
    const r = a.related.slice().reverse();
    Plotly.newPlot(div, [{ type: "bar", orientation: "h", x: r.map((x) => x.proximity), y: r.map((x) => trunc(x.activity + " " + x.name, 40)),
      customdata: r.map((x) => x.activity), marker: { color: "#6a4c93" }, hovertemplate: "%{y}<br>%{x:.3f}<extra></extra>" }],
    { margin: { l: 260, r: 20, t: 10, b: 40 }, height: 380, xaxis: { title: { text: L.proximity || "Proximity" } }, yaxis: { tickfont: { size: 11 } } }, CONFIG);
    div.on("plotly_click", (ev) => { const p = ev.points[0]; if (p) window.location.href = "/activity/" + p.customdata; });
  }

  function numericColumns(table) {
    return table.columns.filter((c) => table.rows.some((r) => typeof r[c] === "number"));
  }

  function precisionChart(div, curves) {
    if (!div || !curves.available || !curves.rows.length) return;
    const cols = curves.columns;
    const x = cols.find((c) => /^(k|top|n|rank|cutoff)/i.test(c)) || numericColumns(curves)[0];
    const y = cols.find((c) => /precision/i.test(c)) || numericColumns(curves).find((c) => c !== x);
    const g = cols.find((c) => /predictor|model|method|name|series/i.test(c));
    const groups = {};
    curves.rows.forEach((r) => { const k = g ? String(r[g]) : "precision"; (groups[k] = groups[k] || []).push(r); });
    const traces = Object.keys(groups).map((k) => ({ type: "scatter", mode: "lines+markers", name: k,
      x: groups[k].map((r) => r[x]), y: groups[k].map((r) => r[y]) }));
    Plotly.newPlot(div, traces, { margin: { l: 60, r: 20, t: 10, b: 50 }, height: 420,
      xaxis: { title: { text: L.top_k || x } }, yaxis: { title: { text: L.precision || y }, rangemode: "tozero" },
      legend: { orientation: "h", y: -0.2 } }, CONFIG);
  }

  function regionColumn(table, known) {
    return table.columns.find((c) => table.rows.length && table.rows.every((r) => typeof r[c] === "string" && known.has(r[c]) ));
  }

  async function partnersMap(div, prof, mp) {
    if (!div) return;
    const known = new Set(mp.regions);
    const col = regionColumn(prof.partners, known) || regionColumn({ columns: prof.partners.columns.filter((c) => c !== "region"), rows: prof.partners.rows }, known);
    if (!col) { div.remove(); return; }
    const score = prof.partners.columns.find((c) => /targets_helped|score|gain/i.test(c));
    const rows = prof.partners.rows.filter((r) => r[col] !== prof.region);
    const pm = { regions: rows.map((r) => r[col]), values: rows.map((r, i) => (score ? r[score] : rows.length - i)),
      names: rows.map((r) => (r.partner_name || r.name || r[col])), label: (score || "rank").replace(/_/g, " ") };
    await choropleth(div, pm, { colorscale: "YlOrRd", reversescale: true, highlight: [prof.region], focus: pm.regions.concat([prof.region]) });
  }

  function compareChart(div, c) {
    if (!div || !c.table.available || !c.table.rows.length) { if (div) div.remove(); return; }
    const t = c.table;
    const regCol = t.columns.find((k) => /region|name/i.test(k)) || t.columns[0];
    const nums = numericColumns(t).slice(0, 4);
    if (!nums.length) { div.remove(); return; }
    const traces = nums.map((k) => ({ type: "bar", name: k.replace(/_/g, " "), x: t.rows.map((r) => String(r[regCol])), y: t.rows.map((r) => r[k]) }));
    Plotly.newPlot(div, traces, { barmode: "group", margin: { l: 50, r: 20, t: 10, b: 80 }, height: 380, legend: { orientation: "h", y: 1.1 } }, CONFIG);
  }

  function heatmap(div, h) {
    if (!div || !h.regions.length) return;
    Plotly.newPlot(div, [{
      type: "heatmap", z: h.z, x: h.activities, y: h.region_names, customdata: h.z.map(() => h.activity_names),
      colorscale: "YlGnBu", reversescale: true, zmin: 0, zmax: 3, colorbar: { title: { text: "RCA" }, thickness: 12 },
      hovertemplate: "<b>%{y}</b><br>%{x} %{customdata}<br>RCA %{z:.2f}<extra></extra>", xgap: 1, ygap: 1,
    }], { margin: { l: 200, r: 20, t: 10, b: 60 }, height: 120 + 38 * h.regions.length,
      xaxis: { tickangle: -60, tickfont: { size: 10 } }, yaxis: { automargin: true } }, CONFIG);
    div.on("plotly_click", (ev) => { const p = ev.points[0]; if (p) window.location.href = "/activity/" + p.x; });
  }

  // region search autocomplete (datalist filled from /api/regions)
  function autocomplete() {
    const list = el("region-list");
    let timer = null;
    document.querySelectorAll("input.region-search").forEach((inp) => {
      inp.addEventListener("input", () => {
        clearTimeout(timer);
        const q = inp.value.trim();
        if (q.length < 2) return;
        timer = setTimeout(() => {
          fetch("/api/regions?limit=12&q=" + encodeURIComponent(q)).then((r) => (r.ok ? r.json() : [])).then((hits) => {
            list.innerHTML = "";
            hits.forEach((h) => { const o = document.createElement("option"); o.value = h.region; o.label = h.name + (h.matched_name !== h.name ? " — " + h.matched_name : ""); list.appendChild(o); });
          });
        }, 150);
      });
    });
  }

  function mapControls() {
    const metric = el("metric"), act = el("activity");
    if (!metric || !act) return;
    const sync = () => { const on = metric.value === "rca"; act.disabled = !on; act.previousElementSibling.style.opacity = on ? 1 : 0.4; };
    sync();
    metric.addEventListener("change", () => { sync(); metric.form.submit(); });
    act.addEventListener("change", () => act.form.submit());
  }

  function init() {
    autocomplete();
    mapControls();
    if (!window.Plotly) return;
    if (DATA.map && el("home-map")) {
      const mp = DATA.map;
      choropleth(el("home-map"), mp, mp.metric === "rca" ? { colorscale: "YlGnBu", reversescale: true, zmin: 0, zmax: 3 } : mp.metric === "eci" ? { colorscale: "RdYlBu", zmid: 0, reversescale: true } : {});
    }
    if (DATA.profile) {
      specChart(el("spec-chart"), DATA.profile);
      oppChart(el("opp-chart"), DATA.profile);
      if (el("region-map")) choropleth(el("region-map"), DATA.map, { colorscale: "RdYlBu", reversescale: true, zmid: 0, highlight: [DATA.profile.region], focus: [DATA.profile.region] });
      partnersMap(el("partners-map"), DATA.profile, DATA.map);
    }
    if (DATA.activity) {
      choropleth(el("activity-map"), DATA.activity.map, { colorscale: "YlGnBu", reversescale: true, zmin: 0, zmax: 3 });
      relatedChart(el("related-chart"), DATA.activity);
      neighbourhood(el("neighbourhood-chart"), DATA.activity);
    }
    if (DATA.space) spaceChart(el("space-chart"), DATA.space);
    if (DATA.compare) {
      if (el("compare-map")) choropleth(el("compare-map"), DATA.map, { colorscale: "RdYlBu", reversescale: true, zmid: 0, highlight: DATA.compare.regions, focus: DATA.compare.regions });
      compareChart(el("compare-chart"), DATA.compare);
      heatmap(el("compare-heatmap"), DATA.compare.heatmap);
    }
    if (DATA.backtest) precisionChart(el("precision-chart"), DATA.backtest.curves);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
