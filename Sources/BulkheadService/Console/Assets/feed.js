// The live feed, newest first and bounded. An event can arrive twice (the stream and the
// liquidation history both carry liquidations; a resume may overlap): it is shown once.
import { amount, time } from "./format.js";

const MAX_ITEMS = 200;
const MAX_SEEN = 5000;

const KINDS = {
  liquidation: { glyph: "⚡", label: "Liquidation" },
  mode_change: { glyph: "⇅", label: "Mode change" },
  price_rejected: { glyph: "⊘", label: "Price rejected" },
  bridge_state: { glyph: "⇄", label: "Bridge" },
  transfer: { glyph: "→", label: "Transfer" },
  params_changed: { glyph: "⚙", label: "Parameters" },
  reset: { glyph: "↺", label: "History pruned" },
};

export class Feed {
  constructor(list, precisionFor) {
    this.list = list;
    this.precisionFor = precisionFor;
    this.seen = new Set();
  }

  key(event) {
    const d = event.data || {};
    if (event.type === "liquidation" || event.type === "transfer") return event.type + ":" + d.id;
    if (event.type === "bridge_state") return `${event.type}:${d.from}:${d.to}:${d.asset}:${d.state}:${d.timestamp}`;
    return `${event.type}:${event.segment || d.segment}:${event.id}`;
  }

  add(event) {
    const key = this.key(event);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.seen.size > MAX_SEEN) this.seen.delete(this.seen.values().next().value);
    const kind = KINDS[event.type] || { glyph: "•", label: event.type };
    const li = document.createElement("li");
    li.className = "ev ev-" + event.type;
    li.dataset.type = event.type;
    const d = event.data || {};
    li.dataset.segment = d.segment || event.segment || d.from || "";
    if (d.id) li.dataset.id = d.id;
    const head = document.createElement("span");
    head.className = "ev-kind";
    head.textContent = `${kind.glyph} ${kind.label}`;
    const when = document.createElement("time");
    when.dateTime = d.timestamp || "";
    when.textContent = time(d.timestamp);
    const text = document.createElement("span");
    text.className = "ev-text";
    text.textContent = this.describe(event.type, d, event.segment);
    li.append(when, " ", head, " ", text);
    this.list.prepend(li);
    while (this.list.children.length > MAX_ITEMS) this.list.lastElementChild.remove();
  }

  describe(type, d, segment) {
    const p = this.precisionFor(d.segment || segment || d.from);
    switch (type) {
      case "liquidation":
        return `${d.segment} · ${d.account} ${d.market}: closed ${amount(d.sizeClosed, p)} at ${amount(d.price, p)}`
          + `, remaining ${amount(d.remainingSize, p)}, penalty ${amount(d.penalty, p)}`
          + (d.badDebt && d.badDebt !== "0" ? `, bad debt ${amount(d.badDebt, p)}` : "") + ` (${d.id})`;
      case "mode_change":
        return `${d.segment}: ${d.from} → ${d.to}${d.reason ? " — " + d.reason : ""}`;
      case "price_rejected":
        return `${d.segment} · ${d.market} ${amount(d.price, p)} from ${d.source}: ${d.reason}${d.message ? " — " + d.message : ""}`;
      case "bridge_state":
        return `${d.from} → ${d.to} ${d.asset}: ${d.state}${d.reason ? " — " + d.reason : ""}`;
      case "transfer":
        return `${d.account}: ${amount(d.amount, p)} ${d.asset} ${d.from} → ${d.to} (${d.state})`;
      case "params_changed":
        return `${d.segment}: version ${d.version}, ${(d.changes || []).length} change(s)`;
      case "reset":
        return `${segment}: older events were pruned; the feed goes on live`;
      default:
        return typeof d === "string" ? d : JSON.stringify(d);
    }
  }
}
