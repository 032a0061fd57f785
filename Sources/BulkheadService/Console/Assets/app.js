// Bulkhead console: sign-in, then segments, bridges, the live feed and the stress form.
import { ApiError, EventStream, get, session } from "./api.js";
import { amount, precisionOf, time } from "./format.js";
import { renderCard } from "./cards.js";
import { bridgeGraph } from "./charts.js";
import { Feed } from "./feed.js";
import { StressPanel } from "./stress.js";

const REFRESH_MS = 3000;
// Chromium allows 6 HTTP/1.1 connections per host: at most 3 streams, the rest for REST.
// Segments beyond those are followed by polling their liquidation history.
const MAX_STREAMS = 3;
const HISTORY_LIMIT = 2000;

const $ = (id) => document.getElementById(id);

const state = {
  segments: new Map(), // id → { view, risk: {atRisk, liquidatable}, liquidations: [], next, streaming }
  order: [],
  streams: [],
  timer: null,
  feed: null,
  stress: null,
  bridgesAvailable: true,
};

function setStatus(text) { $("status").textContent = text; }

export function precisionFor(id) {
  const s = state.segments.get(id);
  return precisionOf(s && s.view);
}

function describe(error) {
  if (!(error instanceof ApiError)) return String(error && error.message || error);
  if (error.status === 401) return `This API key was not accepted (401 ${error.code}). Check the key and try again.`;
  if (error.status === 403) return `This API key may not read these segments (403 ${error.code}).`;
  return `${error.message} (HTTP ${error.status || "—"} ${error.code})`;
}

async function signIn(event) {
  event.preventDefault();
  const key = $("api-key").value.trim();
  const error = $("login-error");
  error.hidden = true;
  if (!key) {
    error.textContent = "Enter an API key.";
    error.hidden = false;
    return;
  }
  session.key = key;
  try {
    await enter();
    $("api-key").value = "";
  } catch (e) {
    session.key = null;
    error.textContent = describe(e);
    error.hidden = false;
    setStatus("Not signed in");
    $("api-key").focus();
  }
}

function signOut() {
  session.key = null;
  for (const s of state.streams) s.stop();
  state.streams = [];
  clearInterval(state.timer);
  state.segments.clear();
  state.order = [];
  $("console").hidden = true;
  $("login").hidden = false;
  $("sign-out").hidden = true;
  $("segments").replaceChildren();
  setStatus("Signed out");
  $("api-key").focus();
}

async function enter() {
  setStatus("Signing in…");
  const list = await get("/v1/segments"); // throws 401/403 for a bad key
  state.order = list.segments.map((s) => s.id).sort();
  $("login").hidden = true;
  $("console").hidden = false;
  $("sign-out").hidden = false;
  state.feed = new Feed($("feed"), precisionFor);
  await refreshSegments(true);
  state.stress = new StressPanel(state);
  state.stress.setup();
  await refreshBridges();
  startStreams();
  state.timer = setInterval(tick, REFRESH_MS);
  $("main").focus();
}

async function tick() {
  if (state.ticking) return; // a slow server: skip a beat rather than pile requests up
  state.ticking = true;
  try {
    await refreshSegments(false);
    await refreshBridges();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut();
      $("login-error").textContent = describe(e);
      $("login-error").hidden = false;
      return;
    }
    setStatus("Refresh failed: " + describe(e));
  } finally {
    state.ticking = false;
  }
}

async function refreshSegments(first) {
  const list = await get("/v1/segments");
  const ids = list.segments.map((s) => s.id).sort();
  state.order = ids;
  await Promise.all(ids.map((id) => refreshSegment(id, first)));
  const container = $("segments");
  for (const id of ids) {
    const s = state.segments.get(id);
    let card = document.getElementById("seg-" + id);
    if (!card) {
      card = document.createElement("article");
      card.id = "seg-" + id;
      card.className = "card";
      card.tabIndex = 0;
      container.append(card);
    }
    renderCard(card, s);
  }
  for (const card of [...container.children]) {
    if (!ids.includes(card.id.slice(4))) card.remove();
  }
  setStatus(`Signed in · ${ids.length} segment${ids.length === 1 ? "" : "s"} · updated ${time(new Date().toISOString())}`);
}

async function refreshSegment(id, first) {
  const enc = encodeURIComponent(id);
  const s = state.segments.get(id) || { id, liquidations: [], next: null, streaming: false };
  const [view, atRisk, liquidatable] = await Promise.all([
    get(`/v1/segments/${enc}`),
    countAccounts(enc, "at_risk"),
    countAccounts(enc, "liquidatable"),
  ]);
  s.view = view;
  s.risk = { atRisk, liquidatable };
  state.segments.set(id, s);
  await pullLiquidations(s, first);
}

async function countAccounts(enc, status) {
  const page = await get(`/v1/segments/${enc}/accounts?status=${status}&limit=1000`);
  return { count: page.accounts.length, more: page.next !== null && page.next !== undefined };
}

// The history chart's data, read forward from a cursor. New decisions also go to the feed
// when no stream carries them (the feed drops what it has already shown). One read at a time
// per segment: two reads from the same cursor would append the same decisions twice.
function pullLiquidations(s, first) {
  s.pulling = (s.pulling || Promise.resolve()).catch(() => {}).then(() => pullPages(s, first));
  return s.pulling;
}

async function pullPages(s, first) {
  const enc = encodeURIComponent(s.id);
  for (let pages = 0; pages < 20; pages++) {
    const after = s.next ? `&after=${encodeURIComponent(s.next)}` : "";
    const page = await get(`/v1/segments/${enc}/liquidations?limit=1000${after}`);
    const got = page.liquidations || [];
    if (got.length > 0) {
      s.liquidations.push(...got);
      if (s.liquidations.length > HISTORY_LIMIT) s.liquidations.splice(0, s.liquidations.length - HISTORY_LIMIT);
      s.next = got[got.length - 1].id;
      if (!first && !s.streaming) for (const d of got) state.feed.add({ type: "liquidation", data: d, via: "history" });
    }
    if (!page.next) break;
  }
}

async function refreshBridges() {
  const box = $("bridges");
  if (!state.bridgesAvailable) return;
  let answer;
  try {
    answer = await get("/v1/bridges");
  } catch (e) {
    if (e instanceof ApiError && e.unavailable) {
      state.bridgesAvailable = false;
      const p = document.createElement("p");
      p.className = "hint";
      p.id = "bridges-unavailable";
      p.textContent = `Bridges are not served by this server yet (HTTP ${e.status}).`;
      box.replaceChildren(p);
      return;
    }
    throw e;
  }
  const bridges = answer.bridges || [];
  const figure = document.createElement("figure");
  figure.append(bridgeGraph(state.order, bridges, precisionFor));
  const caption = document.createElement("figcaption");
  caption.className = "legend";
  caption.textContent = bridges.length === 0
    ? "No bridges configured."
    : "● open (solid) · ◐ limited (dashed) · ✕ closed (dotted) — labels: used in window / effective limit";
  figure.append(caption);
  const list = document.createElement("ul");
  list.className = "bridge-list";
  for (const b of bridges) {
    const li = document.createElement("li");
    li.className = "bridge-item " + b.state;
    li.dataset.state = b.state;
    const prec = precisionFor(b.from);
    li.textContent = `${b.from} → ${b.to} ${b.asset}: ${b.state}${b.reason ? " (" + b.reason + ")" : ""}; `
      + `window ${amount(b.usedInWindow, prec)} / ${amount(b.effectiveLimit, prec)}, available ${amount(b.available, prec)}, `
      + `per transfer ≤ ${amount(b.maxTransfer, prec)}`;
    list.append(li);
  }
  box.replaceChildren(figure, list);
}

function startStreams() {
  const ids = state.order.slice(0, MAX_STREAMS);
  const states = new Map();
  const show = () => {
    const parts = [...states].map(([id, st]) => `${id}: ${st}`);
    const polled = state.order.length - ids.length;
    $("feed-state").textContent = (parts.join(" · ") || "")
      + (polled > 0 ? ` · ${polled} more segment(s) polled` : "");
  };
  for (const id of ids) {
    const s = state.segments.get(id);
    const stream = new EventStream(`/v1/segments/${encodeURIComponent(id)}/events`,
      (event) => onEvent(id, event),
      (st, detail) => {
        s.streaming = st === "live" || st === "reconnecting";
        states.set(id, st === "unavailable" ? `stream not served (${detail}), polling history`
          : st === "reconnecting" ? `reconnecting (${detail})` : st === "live" ? "live" : st);
        show();
      });
    state.streams.push(stream);
    stream.start();
  }
  show();
}

function onEvent(segment, event) {
  state.feed.add({ ...event, segment, via: "stream" });
  if (event.type === "liquidation" || event.type === "mode_change" || event.type === "params_changed") {
    refreshCardSoon(segment);
  }
  if (event.type === "bridge_state" || event.type === "mode_change") refreshBridges().catch(() => {});
}

// A cascade sends many events at once: they share one refresh of the card.
function refreshCardSoon(segment) {
  const s = state.segments.get(segment);
  if (!s || s.refreshQueued) return;
  s.refreshQueued = true;
  setTimeout(() => {
    s.refreshQueued = false;
    refreshSegment(segment, false).then(() => {
      const card = document.getElementById("seg-" + segment);
      if (card) renderCard(card, state.segments.get(segment));
    }).catch(() => {});
  }, 100);
}

function boot() {
  $("login-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", signOut);
  if (session.key) {
    enter().catch((e) => {
      session.key = null;
      $("login-error").textContent = describe(e);
      $("login-error").hidden = false;
      setStatus("Not signed in");
    });
  } else {
    $("api-key").focus();
  }
}

boot();
