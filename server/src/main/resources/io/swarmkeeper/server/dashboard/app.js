// swarmkeeper's dashboard: reads api/v1/stats once (with its rings of the last minutes and hour),
// then api/v1/stats/stream (Server-Sent Events, once a second). Read-only; every value from the
// server is put in the page as text, never as HTML.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const fmt = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
  const num = (v) => (v === null || v === undefined ? "-" : fmt.format(v));
  const SERIES = {
    requests: [
      ["UDP announces", "#4fb3ff", (s) => s.announces.udp],
      ["HTTP announces", "#a371f7", (s) => s.announces.http],
      ["scrapes", "#3fb950", (s) => s.scrapes.udp + s.scrapes.http],
      ["errors", "#f85149", (s) => s.problems.errors],
      ["rate-limited", "#d29922", (s) => s.problems.rate_limited],
      ["dropped", "#db6d28", (s) => s.problems.dropped + s.problems.kernel_drops],
    ],
    latency: [
      ["UDP p50", "#4fb3ff", (s) => lat(s, "udp", "p50")],
      ["UDP p99", "#1f6feb", (s) => lat(s, "udp", "p99")],
      ["HTTP p50", "#a371f7", (s) => lat(s, "http", "p50")],
      ["HTTP p99", "#8957e5", (s) => lat(s, "http", "p99")],
    ],
    peers: [
      ["peers", "#4fb3ff", (s) => s.peers],
      ["seeders", "#3fb950", (s) => s.seeders],
      ["leechers", "#d29922", (s) => s.leechers],
      ["IPv6 peers", "#a371f7", (s) => s.ipv6_peers],
    ],
    interval: [
      ["interval (s)", "#4fb3ff", (s) => s.interval.seconds],
      ["load (%)", "#d29922", (s) => Math.round(s.interval.load * 1000) / 10],
    ],
  };
  function lat(s, protocol, q) {
    const p = s.latency_ms && s.latency_ms[protocol];
    return p && p[q] !== undefined ? p[q] : null;
  }

  const history = { seconds: [], minutes: [] };
  let range = "seconds";
  const charts = {};

  function chartData(name) {
    const samples = history[range];
    const data = [samples.map((s) => s.time / 1000)];
    for (const [, , pick] of SERIES[name]) {
      data.push(samples.map((s) => { try { return pick(s); } catch (e) { return null; } }));
    }
    return data;
  }

  const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 2 });

  // On the log scale only the powers of ten are labelled (uPlot puts a tick at every step).
  function label(v, log) {
    if (log) {
      const e = Math.log10(v);
      return Math.abs(e - Math.round(e)) < 1e-9 ? String(Number(v.toPrecision(1))) : "";
    }
    return compact.format(v);
  }

  function makeChart(name) {
    const el = $("chart-" + name);
    const log = name === "latency"; // UDP's tens of microseconds beside HTTP's milliseconds
    const opts = {
      width: Math.max(300, el.clientWidth), height: 220,
      scales: log ? { y: { distr: 3, log: 10 } } : {},
      series: [{}].concat(SERIES[name].map(([label, color]) => ({ label, stroke: color, width: 1.5, spanGaps: true }))),
      axes: [
        { stroke: "#8a97a6", grid: { stroke: "#2a3440" } },
        { stroke: "#8a97a6", grid: { stroke: "#2a3440" }, size: 60, values: (u, ticks) => ticks.map((v) => label(v, log)) },
      ],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
    };
    charts[name] = new uPlot(opts, chartData(name), el);
  }

  function redraw() {
    for (const name of Object.keys(SERIES)) {
      const data = chartData(name);
      charts[name].setData(data);
      const el = $("chart-" + name);
      el.dataset.points = String(data[0].length);
      // For tests and the curious: the first series' latest and largest values in view.
      const first = data[1].filter((v) => v !== null);
      el.dataset.last = first.length ? String(first[first.length - 1]) : "";
      el.dataset.max = first.length ? String(Math.max(...first)) : "";
    }
  }

  function showNow(stats) {
    const n = stats.node;
    $("node-info").textContent =
      "store " + n.store + " · " + n.access + " tracker" + (n.registry ? " · registry" : "") +
      " · up " + duration(n.uptime_seconds);
    const s = stats.now;
    if (s) {
      $("announces").textContent = num(s.announces.udp + s.announces.http);
      $("announces-split").textContent = "UDP " + num(s.announces.udp) + " · HTTP " + num(s.announces.http);
      $("scrapes").textContent = num(s.scrapes.udp + s.scrapes.http);
      $("swarms").textContent = num(s.swarms);
      $("peers").textContent = num(s.peers);
      $("peers-split").textContent = s.ipv4_peers === null ? "census pending" : "IPv4 " + num(s.ipv4_peers) + " · IPv6 " + num(s.ipv6_peers);
      $("seeders-leechers").textContent = num(s.seeders) + " / " + num(s.leechers);
      $("interval").textContent = s.interval.seconds + " s";
      $("load").textContent = "load " + num(s.interval.load * 100) + " % of " + num(s.interval.capacity) + "/s";
      const u = lat(s, "udp", "p99"), h = lat(s, "http", "p99");
      $("latency").textContent = u === null && h === null ? "-" : num(Math.max(u || 0, h || 0)) + " ms";
      $("latency-split").textContent = "UDP " + (u === null ? "-" : num(u)) + " · HTTP " + (h === null ? "-" : num(h));
      $("problems").textContent = num(s.problems.rate_limited) + " / " + num(s.problems.dropped + s.problems.kernel_drops);
      $("errors").textContent = "errors " + num(s.problems.errors) + "/s";
    }
    const p = stats.interval_policy;
    $("interval-explanation").textContent = p.explanation;
    fill($("interval-policy"), [
      ["handed out", p.seconds + " s"], ["range", p.min_seconds + "-" + p.max_seconds + " s" + (p.adaptive ? "" : " (fixed)")],
      ["requests/s seen", num(p.request_rate)], ["capacity", num(p.capacity) + "/s"],
      ["load", num(p.load * 100) + " %"], ["interval that meets capacity", num(p.needed_seconds) + " s"],
    ]);
    largest(stats.largest_swarms);
    fleet(stats.fleet);
  }

  function fill(dl, pairs) {
    dl.replaceChildren();
    for (const [k, v] of pairs) {
      const dt = document.createElement("dt"); dt.textContent = k;
      const dd = document.createElement("dd"); dd.textContent = v;
      dl.append(dt, dd);
    }
  }

  function row(cells, attrs) {
    const tr = document.createElement("tr");
    for (const [text, cls] of cells) {
      const td = document.createElement("td");
      td.textContent = text;
      if (cls) td.className = cls;
      tr.append(td);
    }
    Object.assign(tr.dataset, attrs || {});
    return tr;
  }

  function largest(list) {
    const body = $("largest").tBodies[0];
    body.replaceChildren();
    if (!list.length) {
      body.append(row([["no swarm counted yet", ""]]));
      return;
    }
    list.forEach((e, i) => {
      const tr = row([[String(i + 1)], [e.info_hash, "hash"], [e.name || ""], [num(e.seeders), "num"], [num(e.leechers), "num"], [num(e.peers), "num"]], { infoHash: e.info_hash });
      tr.cells[1].title = e.info_hash;
      body.append(tr);
    });
  }

  function fleet(f) {
    $("fleet-section").hidden = !f;
    if (!f) return;
    $("fleet-name").textContent = "\"" + f.cluster + "\"" + (f.ready ? "" : " (this member is not ready)");
    const body = $("fleet").tBodies[0];
    body.replaceChildren();
    for (const m of f.members) {
      const tr = row([
        [m.address + (m.this ? " (this node)" : "")], [""],
        [m.partitions === undefined ? "-" : String(m.partitions), "num"], [num(m.swarms), "num"], [num(m.peers), "num"],
        [num(m.requests_per_second), "num"],
        [m.state === "gone" ? m.gone_seconds_ago + " s ago" : m.updated_seconds_ago === undefined ? "-" : m.updated_seconds_ago + " s ago", "num"],
      ], { address: m.address, state: m.state });
      const badge = document.createElement("span");
      badge.className = "badge"; badge.dataset.state = m.state; badge.textContent = m.state;
      tr.cells[1].append(badge);
      body.append(tr);
    }
  }

  function duration(s) {
    if (s < 120) return s + " s";
    if (s < 7200) return Math.round(s / 60) + " min";
    if (s < 172800) return Math.round(s / 3600) + " h";
    return Math.round(s / 86400) + " d";
  }

  function push(sample) {
    const seconds = history.seconds;
    if (!sample || (seconds.length && seconds[seconds.length - 1].time >= sample.time)) return;
    seconds.push(sample);
    if (seconds.length > 600) seconds.shift();
  }

  async function load() {
    const r = await fetch("api/v1/stats", { cache: "no-store" });
    const stats = await r.json();
    history.seconds = stats.last_seconds;
    history.minutes = stats.last_minutes;
    showNow(stats);
    redraw();
  }

  function connect() {
    const source = new EventSource("api/v1/stats/stream");
    source.addEventListener("open", () => { $("connection").dataset.state = "live"; $("connection").textContent = "live"; });
    source.addEventListener("error", () => { $("connection").dataset.state = "lost"; $("connection").textContent = "reconnecting"; });
    source.addEventListener("stats", (event) => {
      const stats = JSON.parse(event.data);
      push(stats.now);
      showNow(stats);
      if (range === "seconds") redraw();
    });
  }

  $("lookup").addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = $("lookup-result");
    const q = $("lookup-input").value.trim();
    out.hidden = false;
    out.className = "result";
    out.textContent = "looking up...";
    try {
      const r = await fetch("api/v1/swarm?q=" + encodeURIComponent(q), { cache: "no-store" });
      const body = await r.json();
      if (!r.ok) {
        out.className = "result error";
        out.textContent = body.error;
        out.dataset.error = "true";
        return;
      }
      out.dataset.error = "false";
      out.dataset.infoHash = body.info_hash;
      out.dataset.seeders = body.seeders;
      out.dataset.leechers = body.leechers;
      out.replaceChildren();
      const dl = document.createElement("dl");
      fill(dl, [["info_hash", body.info_hash]].concat(body.name ? [["name", body.name]] : [])
        .concat(body.registered === false ? [["registry", "not registered"]] : [])
        .concat([["seeders", num(body.seeders)], ["leechers", num(body.leechers)], ["completed", num(body.completed)]]));
      out.append(dl);
    } catch (e) {
      out.className = "result error";
      out.textContent = "no answer: " + e;
    }
  });

  for (const radio of document.querySelectorAll("input[name=range]")) {
    radio.addEventListener("change", () => { range = radio.value; redraw(); });
  }
  window.addEventListener("resize", () => {
    for (const name of Object.keys(charts)) {
      charts[name].setSize({ width: Math.max(300, $("chart-" + name).clientWidth), height: 220 });
    }
  });

  for (const name of Object.keys(SERIES)) makeChart(name);
  load().catch((e) => { $("connection").textContent = "no stats: " + e; }).finally(connect);
  setInterval(() => load().catch(() => {}), 60000); // the hour's ring gains a minute
})();
