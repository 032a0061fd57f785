// Amounts arrive as exact decimal strings (API.md). They are formatted here on the digits,
// with BigInt, never through a floating-point Number, so the page never shows a figure the
// server did not compute. Numbers are used only for chart geometry.

export const ENGINE_SCALE = 8; // fractional digits the engine keeps (Fixed, 10^-8)

// A segment's display precision: `displayDecimals` if its spec ever names one, else the
// engine's own scale. Trailing zeros are trimmed, so "64000.50000000" reads "64,000.5".
export function precisionOf(segment) {
  const d = segment && segment.spec && segment.spec.displayDecimals;
  return Number.isInteger(d) && d >= 0 && d <= ENGINE_SCALE ? d : ENGINE_SCALE;
}

function parse(text) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text).trim());
  if (!m) return null;
  return { negative: m[1] === "-", whole: m[2], fraction: m[3] || "" };
}

// Round half away from zero to `precision` digits, on the digits.
function rounded(p, precision) {
  if (p.fraction.length <= precision) return p;
  const digits = BigInt(p.whole + p.fraction.slice(0, precision));
  const carry = p.fraction.charCodeAt(precision) >= 53 ? 1n : 0n; // '5'
  let text = (digits + carry).toString().padStart(precision + 1, "0");
  const whole = precision === 0 ? text : text.slice(0, -precision);
  const fraction = precision === 0 ? "" : text.slice(-precision);
  return { negative: p.negative, whole, fraction };
}

function group(whole) {
  return whole.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

// "1234567.12300000" → "1,234,567.123"; null/undefined → "—".
export function amount(text, precision = ENGINE_SCALE) {
  if (text === null || text === undefined) return "—";
  const p = parse(text);
  if (!p) return String(text);
  const r = rounded(p, precision);
  const fraction = r.fraction.replace(/0+$/, "");
  const isZero = /^0*$/.test(r.whole) && fraction === "";
  return (r.negative && !isZero ? "−" : "") + group(r.whole) + (fraction ? "." + fraction : "");
}

// A fraction as a percentage, moving the point two places on the digits: "0.625" → "62.5%".
export function percent(text, precision = ENGINE_SCALE - 2) {
  const p = parse(text);
  if (!p) return "—";
  const fraction = p.fraction.padEnd(2, "0");
  const moved = `${p.negative ? "-" : ""}${p.whole}${fraction.slice(0, 2)}.${fraction.slice(2) || "0"}`;
  return amount(moved, precision) + "%";
}

// Signed percent for shocks: "-0.43" → "−43%", "4" → "+400%".
export function change(text) {
  const s = percent(text);
  return s.startsWith("−") || s === "0%" ? s : "+" + s;
}

// Compare two decimal strings exactly: -1, 0, 1.
export function compare(a, b) {
  const scale = (t) => {
    const p = parse(t);
    if (!p) return 0n;
    const v = BigInt(p.whole + p.fraction.padEnd(ENGINE_SCALE, "0").slice(0, ENGINE_SCALE));
    return p.negative ? -v : v;
  };
  const x = scale(a), y = scale(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// Only for drawing: the position of a bar or a point.
export function toNumber(text) {
  const n = Number(text);
  return Number.isFinite(n) ? n : 0;
}

export function time(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(11, 19) + "Z";
}

// User input "−43" (percent) → the API's relative change "-0.43", exactly.
export function percentToChange(input) {
  const t = String(input).trim().replace("−", "-").replace(/^\+/, "");
  const p = parse(t);
  if (!p) return null;
  const whole = p.whole.padStart(3, "0");
  const head = whole.slice(0, -2).replace(/^0+(?=\d)/, "");
  const fraction = (whole.slice(-2) + p.fraction).replace(/0+$/, "");
  if (fraction.length > ENGINE_SCALE) return null;
  return (p.negative ? "-" : "") + head + (fraction ? "." + fraction : "");
}
