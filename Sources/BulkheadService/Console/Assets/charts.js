// SVG charts drawn by the page itself. Colours come from CSS classes (no inline style: the
// CSP allows none); every mark also carries a text label, a pattern or a shape, so no chart
// relies on colour alone. Values are decimal strings; Number is used only for geometry.
import { amount, toNumber, time } from "./format.js";

const NS = "http://www.w3.org/2000/svg";

export function el(tag, attrs = {}, children = []) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const c of [].concat(children)) {
    if (c === null || c === undefined) continue;
    node.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return node;
}

function frame(width, height, label) {
  return el("svg", {
    viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "aria-label": label,
    preserveAspectRatio: "xMinYMin meet",
  }, [el("title", {}, label)]);
}

// Hatch pattern shared by every chart (worse states are hatched as well as coloured).
function defs() {
  return el("defs", {}, [
    el("pattern", { id: "hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
      [el("rect", { width: 6, height: 6, class: "hatch-bg" }), el("line", { x1: 0, y1: 0, x2: 0, y2: 6, class: "hatch-line" })]),
  ]);
}

// A horizontal gauge: value against a scale, with labelled threshold ticks.
export function gauge({ value, max, ticks = [], label, cls = "" }) {
  const w = 220, h = 30, top = 4, bh = 10;
  const scale = Math.max(max, toNumber(value), 1e-12);
  const x = (v) => Math.min(w, (toNumber(v) / scale) * w);
  const svg = frame(w, h, label);
  svg.classList.add("gauge");
  svg.append(el("rect", { x: 0, y: top, width: w, height: bh, class: "track" }));
  svg.append(el("rect", { x: 0, y: top, width: Math.max(1, x(value)), height: bh, class: "fill " + cls }));
  for (const t of ticks) {
    const tx = Math.max(1, Math.min(w - 1, x(t.at)));
    svg.append(el("line", { x1: tx, x2: tx, y1: top - 3, y2: top + bh + 3, class: "tick " + (t.cls || "") }));
    svg.append(el("text", { x: tx, y: h - 2, class: "tick-label", "text-anchor": tx > w - 30 ? "end" : tx < 30 ? "start" : "middle" }, t.text));
  }
  return svg;
}

// Liquidation history of one segment: notional closed per time bucket (bars), steps with
// bad debt hatched; the axis says the time span and the total.
export function liquidationHistory(decisions, precision, asset) {
  const w = 320, h = 110, left = 4, right = 4, top = 8, bottom = 22;
  const label = decisions.length === 0
    ? "No liquidations yet"
    : `${decisions.length} liquidation steps from ${time(decisions[0].timestamp)} to ${time(decisions[decisions.length - 1].timestamp)}`;
  const svg = frame(w, h, label);
  svg.classList.add("history");
  svg.append(defs());
  svg.dataset.count = String(decisions.length);
  if (decisions.length === 0) {
    svg.append(el("text", { x: w / 2, y: h / 2, "text-anchor": "middle", class: "empty" }, "no liquidations"));
    return svg;
  }
  const times = decisions.map((d) => Date.parse(d.timestamp) || 0);
  const t0 = Math.min(...times), t1 = Math.max(...times);
  const buckets = 24;
  const span = Math.max(1, t1 - t0);
  const sums = Array.from({ length: buckets }, () => ({ notional: 0, badDebt: false, n: 0 }));
  decisions.forEach((d, i) => {
    const b = Math.min(buckets - 1, Math.floor(((times[i] - t0) / span) * buckets));
    sums[b].notional += Math.abs(toNumber(d.sizeClosed) * toNumber(d.price));
    sums[b].badDebt ||= toNumber(d.badDebt) > 0;
    sums[b].n += 1;
  });
  const peak = Math.max(...sums.map((s) => s.notional), 1e-12);
  const bw = (w - left - right) / buckets;
  sums.forEach((s, i) => {
    if (s.n === 0) return;
    const bh = Math.max(2, ((h - top - bottom) * s.notional) / peak);
    const bar = el("rect", {
      x: left + i * bw + 1, y: h - bottom - bh, width: Math.max(1, bw - 2), height: bh,
      class: s.badDebt ? "bar bad" : "bar",
    }, [el("title", {}, `${s.n} step(s), notional ≈ ${s.notional.toFixed(2)} ${asset}${s.badDebt ? ", with bad debt" : ""}`)]);
    svg.append(bar);
  });
  svg.append(el("line", { x1: left, x2: w - right, y1: h - bottom, y2: h - bottom, class: "axis" }));
  svg.append(el("text", { x: left, y: h - 6, class: "tick-label" }, time(decisions[0].timestamp)));
  svg.append(el("text", { x: w - right, y: h - 6, class: "tick-label", "text-anchor": "end" }, time(decisions[decisions.length - 1].timestamp)));
  return svg;
}

// Stress: one architecture's figures as labelled bars. `scales` holds, per metric, the
// largest value of both architectures, so the two charts side by side share their scales.
export function stressBars(title, metrics, scales, precision) {
  const w = 360, row = 44, top = 8;
  const h = top + metrics.length * row;
  const svg = frame(w, h, title + ": " + metrics.map((m) => `${m.label} ${amount(m.value, precision)}`).join(", "));
  svg.classList.add("stress");
  svg.append(defs());
  metrics.forEach((m, i) => {
    const y = top + i * row;
    const scale = Math.max(scales[m.key], 1e-12);
    const bw = Math.max(toNumber(m.value) > 0 ? 2 : 0, ((w - 8) * toNumber(m.value)) / scale);
    const g = el("g", { class: "metric", "data-metric": m.key, "data-value": m.value });
    g.append(el("text", { x: 0, y: y + 12, class: "metric-label" }, m.label));
    g.append(el("text", { x: w, y: y + 12, class: "metric-value", "text-anchor": "end" }, amount(m.value, precision)));
    g.append(el("rect", { x: 0, y: y + 18, width: w - 8, height: 14, class: "track" }));
    g.append(el("rect", { x: 0, y: y + 18, width: bw, height: 14, class: "bar " + m.cls }));
    svg.append(g);
  });
  return svg;
}

// Bridges as a directed graph: segments on a circle, one arrow per bridge. State is told by
// colour, line style (solid open, dashed limited, dotted + ✕ closed) and a text label.
export function bridgeGraph(segmentIds, bridges, precisionOf) {
  const w = 420, h = 300, cx = w / 2, cy = h / 2, r = Math.min(w, h) / 2 - 44;
  const svg = frame(w, h, `${bridges.length} bridges between ${segmentIds.length} segments`);
  svg.classList.add("bridges");
  svg.append(el("defs", {}, ["open", "limited", "closed"].map((s) =>
    el("marker", { id: "arrow-" + s, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
      [el("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow " + s })]))));
  const pos = new Map(segmentIds.map((id, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, segmentIds.length);
    return [id, { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) }];
  }));
  const labels = el("g", { class: "edge-labels" }); // drawn last, over the nodes
  bridges.forEach((b) => {
    const p = pos.get(b.from), q = pos.get(b.to);
    if (!p || !q) return;
    // Offset each direction sideways so A→B and B→A do not overlap.
    const dx = q.x - p.x, dy = q.y - p.y, len = Math.hypot(dx, dy) || 1;
    const nx = -dy / len * 8, ny = dx / len * 8, pad = 30;
    const x1 = p.x + dx / len * pad + nx, y1 = p.y + dy / len * pad + ny;
    const x2 = q.x - dx / len * pad + nx, y2 = q.y - dy / len * pad + ny;
    const state = ["open", "limited", "closed"].includes(b.state) ? b.state : "closed";
    const prec = precisionOf(b.from);
    const windowUse = b.effectiveLimit !== undefined ? `${amount(b.usedInWindow, prec)} / ${amount(b.effectiveLimit, prec)}` : "";
    const use = `${windowUse} ${b.asset}`.trim();
    const g = el("g", {
      class: "bridge " + state, tabindex: 0, "data-from": b.from, "data-to": b.to, "data-state": state,
      "aria-label": `${b.from} to ${b.to}, ${b.asset}: ${state}${b.reason ? " (" + b.reason + ")" : ""}, window used ${use}`,
    });
    g.append(el("title", {}, `${b.from} → ${b.to} ${b.asset}: ${state}${b.reason ? " — " + b.reason : ""}\nwindow used ${use}, available ${amount(b.available, prec)}`));
    g.append(el("line", { x1, y1, x2, y2, class: "edge", "marker-end": `url(#arrow-${state})` }));
    const mx = (x1 + x2) / 2 + nx * 1.6, my = (y1 + y2) / 2 + ny * 1.6;
    labels.append(el("text", { x: mx, y: my, class: "edge-label", "text-anchor": "middle" },
      `${state === "closed" ? "✕ " : state === "limited" ? "◐ " : "● "}${state}${windowUse ? " · " + windowUse : ""}`));
    svg.append(g);
  });
  for (const [id, p] of pos) {
    svg.append(el("g", { class: "node" }, [
      el("circle", { cx: p.x, cy: p.y, r: 26 }),
      el("text", { x: p.x, y: p.y + 4, "text-anchor": "middle" }, id),
    ]));
  }
  svg.append(labels);
  return svg;
}
