// One segment as a card: mode (colour, shape and words), volatility against the regime
// thresholds, margin multipliers and ramp, insurance fund against its floor, bad debt,
// open interest against caps, accounts at risk and liquidatable, liquidation history.
import { amount, compare, percent, precisionOf, toNumber } from "./format.js";
import { gauge, liquidationHistory } from "./charts.js";

export const MODES = {
  normal: { label: "Normal", glyph: "●" },
  elevated: { label: "Elevated", glyph: "▲" },
  isolated: { label: "Isolated", glyph: "◆" },
  reduce_only: { label: "Reduce-only", glyph: "■" },
  halted: { label: "Halted", glyph: "✖" },
};

const REGIME_OF_MODE = { elevated: "elevated", isolated: "isolated", reduce_only: "reduceOnly" };

function h(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, String(v));
  }
  for (const c of [].concat(children)) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function item(term, description, extra = {}) {
  return [h("dt", { text: term }), h("dd", extra, description)];
}

function maxOf(values) {
  return values.reduce((best, v) => (best === null || compare(v, best) > 0 ? v : best), null);
}

export function renderCard(card, segment) {
  const view = segment.view;
  const spec = view.spec || {};
  const regimes = spec.regimes || {};
  const asset = spec.settlementAsset || "";
  const prec = precisionOf(view);
  const mode = MODES[view.mode] || { label: view.mode, glyph: "?" };
  card.className = `card mode-${view.mode}`;
  card.dataset.segment = view.id;
  card.dataset.mode = view.mode;
  card.setAttribute("aria-label", `Segment ${view.id}, mode ${mode.label}`);

  const header = h("header", {}, [
    h("h3", { text: view.id }),
    h("span", { class: "mode-badge", "data-mode": view.mode, text: `${mode.glyph} ${mode.label}` }),
  ]);
  // The admin floor under the automatic mode (PUT …/mode), when one is set.
  const floorMode = view.modeFloor ?? view.adminMode;
  if (floorMode && floorMode !== "auto") {
    header.append(h("span", { class: "admin-floor", text: `admin floor: ${(MODES[floorMode] || { label: floorMode }).label}` }));
  }

  // Volatility: the segment's is the largest of its markets' (RISK.md "Regimes").
  const markets = view.markets || [];
  const vol = maxOf(markets.map((m) => m.volatility).filter((v) => v !== undefined)) || "0";
  // Gauge ticks: E elevated, I isolated, R reduce-only (the text line gives the values).
  const thresholds = [
    { key: "elevated", text: "E" }, { key: "isolated", text: "I" }, { key: "reduceOnly", text: "R" },
  ].filter((t) => regimes[t.key]).map((t) => ({ at: regimes[t.key].volatility, mark: t.text, text: t.text + " " + percent(regimes[t.key].volatility, 0) }));
  const top = thresholds.length ? toNumber(thresholds[thresholds.length - 1].at) * 1.2 : 1;
  const volText = `${percent(vol, 2)} (thresholds: ${thresholds.map((t) => t.text).join(", ") || "none"})`;

  // Multipliers: IM from the view; MM from the view when the server reports it (with a
  // ramp), else the target of the current regime. A raised MM ramps in over mmRampSeconds.
  const regime = regimes[REGIME_OF_MODE[view.mode]];
  const imMultiplier = view.initialMarginMultiplier || view.marginMultiplier || "1";
  const mmTarget = view.mode === "normal" ? "1" : regime ? regime.maintenanceMarginMultiplier : null;
  const mmNow = view.maintenanceMarginMultiplier || null;
  let margin = `IM ×${amount(imMultiplier)} · MM ×${amount(mmNow || mmTarget)}`;
  const ramp = view.maintenanceRamp || view.ramp || null;
  if (ramp && (ramp.to || ramp.target)) {
    margin += ` · ramping to ×${amount(ramp.to || ramp.target)}${ramp.endsAt || ramp.until ? " by " + (ramp.endsAt || ramp.until).slice(11, 19) + "Z" : ""}`;
  } else if (mmNow && mmTarget && compare(mmNow, mmTarget) < 0) {
    margin += ` · ramping to ×${amount(mmTarget)} over ${regimes.mmRampSeconds} s`;
  } else if (regimes.mmRampSeconds) {
    margin += ` · a raise ramps in over ${regimes.mmRampSeconds} s`;
  }

  // Insurance fund against its floor (below the floor the segment is isolated).
  const fund = view.insuranceFund || "0";
  const floor = spec.insuranceFundFloor || null;
  const fundScale = Math.max(toNumber(spec.insuranceFund), toNumber(fund), toNumber(floor) * 2, 1);
  const belowFloor = floor && compare(fund, floor) < 0;
  const fundText = `${amount(fund, prec)} ${asset}` + (floor ? ` · floor ${amount(floor, prec)}${belowFloor ? " — below floor" : ""}` : " · no floor");

  const badDebt = view.outstandingBadDebt ?? view.badDebt ?? "0";
  const hasBadDebt = compare(badDebt, "0") > 0;
  let badDebtText = `${hasBadDebt ? "⚠ " : ""}${amount(badDebt, prec)} ${asset} outstanding`;
  const total = view.badDebtTotal ?? view.cumulativeBadDebt;
  if (total !== undefined && total !== null) badDebtText += ` · ${amount(total, prec)} since start`;

  const oi = h("ul", { class: "oi" });
  for (const m of markets) {
    const capText = `${m.id}: ${amount(m.openInterest, prec)} / ${amount(m.maxOpenInterest, prec)}`;
    const near = toNumber(m.maxOpenInterest) > 0 && toNumber(m.openInterest) / toNumber(m.maxOpenInterest) >= 0.9;
    oi.append(h("li", {}, [
      h("span", { class: "oi-text", text: capText + (near ? " ⚠ near cap" : "") }),
      gauge({ value: m.openInterest, max: toNumber(m.maxOpenInterest), label: capText, cls: near ? "warn" : "" }),
    ]));
  }

  const risk = segment.risk || { atRisk: { count: 0 }, liquidatable: { count: 0 } };
  const n = (r) => `${r.count}${r.more ? "+" : ""}`;
  const totals = view.totals || {};
  const accountsText = `${totals.accounts ?? "—"} accounts · ${n(risk.atRisk)} at risk · ${n(risk.liquidatable)} liquidatable`;

  const dl = h("dl", {}, [
    ...item("Volatility", [h("span", { class: "value", text: volText }),
      gauge({ value: vol, max: top, ticks: thresholds.map((t) => ({ at: t.at, text: t.mark })), label: "Volatility " + volText, cls: "vol" })]),
    ...item("Margin multipliers", h("span", { class: "value", text: margin })),
    ...item("Insurance fund", [h("span", { class: "value", text: fundText }),
      gauge({
        value: fund, max: fundScale, label: "Insurance fund " + fundText, cls: belowFloor ? "bad" : "",
        ticks: floor ? [{ at: floor, text: "floor" }] : [],
      })]),
    ...item("Bad debt", h("span", { class: "value" + (hasBadDebt ? " bad-text" : ""), "data-field": "bad-debt", text: badDebtText })),
    ...item("Open interest / cap", oi),
    ...item("Accounts", h("span", { class: "value", "data-field": "accounts", text: accountsText })),
  ]);

  const history = h("figure", { class: "history-figure" }, [
    liquidationHistory(segment.liquidations || [], prec, asset),
    h("figcaption", { text: `Liquidations: ${(segment.liquidations || []).length} steps (notional closed over time; hatched: with bad debt)` }),
  ]);
  card.replaceChildren(header, dl, history);
}
