// The stress form and its result: segmented and monolithic drawn side by side on shared
// scales (contagion, bad debt, fund used, collateral required), then the per-segment table.
import { ApiError, post } from "./api.js";
import { amount, change, percentToChange, precisionOf, toNumber } from "./format.js";
import { stressBars } from "./charts.js";
import { SCENARIOS, scenarioBody, scenarioMoves } from "./scenarios.js";

const $ = (id) => document.getElementById(id);

const METRICS = [
  { key: "contagionLoss", label: "Contagion loss", cls: "contagion" },
  { key: "badDebt", label: "Bad debt", cls: "bad" },
  { key: "insuranceFundUsed", label: "Insurance fund used", cls: "fund" },
  { key: "collateralRequired", label: "Collateral required", cls: "collateral" },
];

const COLUMNS = [
  ["accountsLiquidated", "Liquidated"], ["accountsBankrupt", "Bankrupt"], ["badDebt", "Bad debt"],
  ["insuranceFundUsed", "Fund used"], ["lossSocialized", "Socialized"], ["contagionLoss", "Contagion"],
  ["accountsUnaffected", "Unaffected"], ["modeAfter", "Mode after"],
];

function option(value, text) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = text;
  return o;
}

export class StressPanel {
  constructor(state) { this.state = state; }

  get book() {
    return [...document.querySelectorAll("#stress-segments input:checked")].map((i) => i.value);
  }

  get markets() {
    return new Map([...this.state.segments].map(([id, s]) => [id, (s.view.markets || []).map((m) => m.id)]));
  }

  setup() {
    const box = $("stress-segments");
    box.replaceChildren(...this.state.order.map((id) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.value = id;
      input.checked = true;
      input.name = "stress-segment";
      input.addEventListener("change", () => this.about());
      label.append(input, " " + id);
      return label;
    }));
    const select = $("stress-library");
    select.replaceChildren(...SCENARIOS.map((s) => option(s.id, s.name)));
    select.addEventListener("change", () => this.about());
    this.about();
    for (const radio of document.querySelectorAll("input[name=stress-kind]")) {
      radio.addEventListener("change", () => {
        const own = document.querySelector("input[name=stress-kind]:checked").value === "shocks";
        $("stress-shocks-row").hidden = !own;
        $("stress-library-row").hidden = own;
      });
    }
    $("stress-shocks").replaceChildren();
    this.addShock("ETH-USD", "-43");
    $("stress-add-shock").onclick = () => this.addShock();
    $("stress-form").onsubmit = (e) => { e.preventDefault(); this.run(); };
  }

  // What the chosen scenario does on the chosen book (stand-ins included), and its source.
  about() {
    const s = SCENARIOS.find((x) => x.id === $("stress-library").value);
    if (!s) return;
    const moves = scenarioMoves(s, this.book, this.markets, change);
    $("stress-library-about").textContent = `On this book: ${moves}. Source: ${s.source}.`;
  }

  addShock(market = "", percentText = "") {
    const tr = document.createElement("tr");
    const seg = document.createElement("select");
    seg.className = "shock-segment";
    seg.setAttribute("aria-label", "Segment (any: every segment listing the market)");
    seg.append(option("", "any"), ...this.state.order.map((id) => option(id, id)));
    const mk = document.createElement("select");
    mk.className = "shock-market";
    mk.setAttribute("aria-label", "Market");
    const all = [...new Set([...this.markets.values()].flat())].sort();
    mk.append(...all.map((m) => option(m, m)));
    if (market) mk.value = market;
    const pct = document.createElement("input");
    pct.className = "shock-change";
    pct.inputMode = "decimal";
    pct.setAttribute("aria-label", "Change in percent, e.g. -43");
    pct.value = percentText;
    pct.size = 6;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Remove";
    remove.onclick = () => tr.remove();
    for (const c of [seg, mk, pct, remove]) {
      const td = document.createElement("td");
      td.append(c);
      tr.append(td);
    }
    $("stress-shocks").append(tr);
  }

  body() {
    const book = this.book;
    if (book.length === 0) throw new Error("Pick at least one segment.");
    if (document.querySelector("input[name=stress-kind]:checked").value === "library") {
      const s = SCENARIOS.find((x) => x.id === $("stress-library").value);
      const body = scenarioBody(s, book, this.markets);
      if ((body.shocks && body.shocks.length === 0) || (body.path && body.path.length === 0)) {
        throw new Error("None of this scenario's markets is in the chosen book.");
      }
      return body;
    }
    const shocks = [...$("stress-shocks").children].map((tr) => {
      const changeText = percentToChange(tr.querySelector(".shock-change").value);
      if (changeText === null) throw new Error("Each change must be a number of percent, such as -43 or 250.");
      const shock = { market: tr.querySelector(".shock-market").value, change: changeText };
      const segment = tr.querySelector(".shock-segment").value;
      if (segment) shock.segment = segment;
      return shock;
    });
    if (shocks.length === 0) throw new Error("Add at least one shock.");
    return { segments: book, shocks, compare: "monolithic" };
  }

  async run() {
    const status = $("stress-status");
    let body;
    try {
      body = this.body();
    } catch (e) {
      status.textContent = e.message;
      return;
    }
    status.textContent = "Running…";
    $("stress-run").disabled = true;
    try {
      const report = await post("/v1/stress", body);
      this.draw(report);
      status.textContent = "Done: nothing live changed"
        + (report.stateHashBefore && report.stateHashBefore === report.stateHashAfter ? " (state hash unchanged)." : ".");
    } catch (e) {
      status.textContent = e instanceof ApiError && e.unavailable
        ? `Stress is not served by this server yet (HTTP ${e.status}).`
        : `Stress failed: ${e.message}${e.status ? ` (HTTP ${e.status} ${e.code})` : ""}`;
    } finally {
      $("stress-run").disabled = false;
    }
  }

  draw(report) {
    const ce = report.capitalEfficiency || {};
    const seg = { ...(report.segmented && report.segmented.total), collateralRequired: ce.segmentedCollateralRequired ?? "0" };
    const mono = { ...(report.monolithic && report.monolithic.total), collateralRequired: ce.monolithicCollateralRequired ?? "0" };
    const prec = Math.max(...this.book.map((id) => precisionOf(this.state.segments.get(id)?.view)));
    const scales = Object.fromEntries(METRICS.map((m) => [m.key, Math.max(toNumber(seg[m.key]), toNumber(mono[m.key]))]));
    const pick = (t) => METRICS.map((m) => ({ ...m, value: t[m.key] ?? "0" }));
    $("stress-segmented").replaceChildren(stressBars("Segmented", pick(seg), scales, prec));
    $("stress-monolithic").replaceChildren(stressBars("Monolithic", pick(mono), scales, prec));
    $("stress-table").replaceChildren(this.table(report, prec));
    $("stress-result").hidden = false;
  }

  table(report, prec) {
    const table = document.createElement("table");
    table.className = "stress-table";
    const caption = document.createElement("caption");
    caption.textContent = "Per segment (segmented) and in total (both)";
    const head = document.createElement("tr");
    for (const text of ["", ...COLUMNS.map((c) => c[1])]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      head.append(th);
    }
    const thead = document.createElement("thead");
    thead.append(head);
    const tbody = document.createElement("tbody");
    const row = (name, r) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = name;
      tr.append(th);
      for (const [key] of COLUMNS) {
        const td = document.createElement("td");
        const v = r ? r[key] : undefined;
        td.textContent = v === undefined ? "—" : typeof v === "string" && /^-?\d/.test(v) ? amount(v, prec) : String(v);
        tr.append(td);
      }
      tbody.append(tr);
    };
    for (const s of (report.segmented && report.segmented.segments) || []) row(s.segment, s);
    row("Segmented total", report.segmented && report.segmented.total);
    row("Monolithic total", report.monolithic && report.monolithic.total);
    table.append(caption, thead, tbody);
    const wrap = document.createElement("div");
    wrap.className = "scroll";
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", "Stress figures");
    wrap.append(table);
    return wrap;
  }
}
