// REST calls and the event stream. The key is sent only in the Authorization header
// (never in a URL, so it stays out of logs, history and Referer) and kept only in this
// tab's sessionStorage.

const KEY_NAME = "bulkhead.apiKey";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
  // A route this server does not serve yet (planned routes answer 501, absent ones 404).
  get unavailable() {
    return this.status === 501 || (this.status === 404 && this.code !== "unknown_segment"
      && this.code !== "unknown_account" && this.code !== "unknown_bridge");
  }
}

export const session = {
  get key() { return sessionStorage.getItem(KEY_NAME); },
  set key(value) {
    if (value) sessionStorage.setItem(KEY_NAME, value);
    else sessionStorage.removeItem(KEY_NAME);
  },
};

export async function call(method, path, body) {
  const headers = { Authorization: "Bearer " + session.key, Accept: "application/json" };
  const init = { method, headers, cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, "network", "the server did not answer (" + e.message + ")");
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    const err = json && json.error;
    throw new ApiError(response.status, err ? err.code : "http_" + response.status,
      err ? err.message : `HTTP ${response.status}`);
  }
  return json;
}

export const get = (path) => call("GET", path);
export const post = (path, body) => call("POST", path, body);

// Server-Sent Events over fetch streaming (WHATWG HTML §9.2 parsing), because EventSource
// cannot send an Authorization header. Reconnects after the server's `retry` delay and
// resumes with Last-Event-ID, so a dropped connection loses and repeats nothing.
export class EventStream {
  constructor(path, onEvent, onState) {
    this.path = path;
    this.onEvent = onEvent;
    this.onState = onState;
    this.lastEventId = "";
    this.retryMs = 3000;
    this.stopped = false;
    this.controller = null;
  }

  start() { this.loop(); }

  stop() {
    this.stopped = true;
    if (this.controller) this.controller.abort();
  }

  async loop() {
    while (!this.stopped) {
      let outcome;
      try {
        outcome = await this.connect();
      } catch (e) {
        outcome = this.stopped ? "stopped" : "dropped: " + e.message;
      }
      if (this.stopped || outcome === "unavailable" || outcome === "denied") return;
      this.onState("reconnecting", outcome);
      await new Promise((resolve) => setTimeout(resolve, this.retryMs));
    }
  }

  async connect() {
    this.controller = new AbortController();
    const headers = { Authorization: "Bearer " + session.key, Accept: "text/event-stream" };
    if (this.lastEventId) headers["Last-Event-ID"] = this.lastEventId;
    const response = await fetch(this.path, {
      headers, cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer",
      signal: this.controller.signal,
    });
    if (response.status === 501 || response.status === 404) {
      await response.body?.cancel();
      this.onState("unavailable", `HTTP ${response.status}`);
      return "unavailable";
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      this.onState("denied", `HTTP ${response.status}`);
      return "denied";
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return `HTTP ${response.status}`;
    }
    this.onState("live", this.lastEventId);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let event = { type: "", data: [], id: null };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return "closed by the server";
      buffer += value;
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        if (buffer[newline] === "\r" && newline === buffer.length - 1) break; // \r\n split
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
        event = this.field(line, event);
      }
    }
  }

  // One line of the stream; a blank line dispatches the event gathered so far.
  field(line, event) {
    if (line === "") {
      if (event.id !== null) this.lastEventId = event.id;
      if (event.data.length > 0) {
        const type = event.type || "message";
        let data = event.data.join("\n");
        try { data = JSON.parse(data); } catch { /* keep the text */ }
        this.onEvent({ type, id: this.lastEventId, data });
      }
      return { type: "", data: [], id: null };
    }
    if (line.startsWith(":")) return event; // comment (keep-alive)
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (name === "event") event.type = value;
    else if (name === "data") event.data.push(value);
    else if (name === "id" && !value.includes("\0")) event.id = value;
    else if (name === "retry" && /^\d+$/.test(value)) this.retryMs = Number(value);
    return event;
  }
}
