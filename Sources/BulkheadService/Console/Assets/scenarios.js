// The console's scenario library: the incidents of the repository's scenario files
// (Config/scenarios/*.json, run offline with `bulkhead stress --scenario FILE`), with the same
// changes and sources. Their thin markets (MNGO, JELLY, LUNA) are not in the embedded default
// segments, so each names a stand-in that is: the shock goes to the scenario's own market when
// the chosen book lists it, else to the stand-in, else it is dropped before the request.
const THIN = { segment: "alts", market: "DOGE-USD" };
const FALLING = { segment: "alts", market: "SOL-USD" };

const step = (market, change) => [{ market, change }];

export const SCENARIOS = [
  {
    id: "eth-black-thursday-2020-03-12",
    name: "ETH −43% in a day (Black Thursday, 12 March 2020)",
    source: "MakerDAO, 'The Market Collapse of March 12-13, 2020' (2020-04-02); CoinMarketCap ETH daily OHLC",
    shocks: [{ market: "ETH-USD", change: "-0.43" }],
  },
  {
    id: "mango-oracle-pump-2022-10-11",
    name: "Thin-market oracle pump ~30× in minutes (Mango Markets, 11 October 2022)",
    source: "CFTC v. Avraham Eisenberg, complaint filed 2023-01-09; Mango Markets DAO post-mortem",
    standIn: { "MNGO-USD": THIN },
    path: [step("MNGO-USD", "2"), step("MNGO-USD", "1.5"), step("MNGO-USD", "3")],
  },
  {
    id: "luna-collapse-2022-05",
    name: "To cents over three days (LUNA, May 2022), as a 12-step path",
    source: "CoinGecko LUNA/USD daily prices 2022-05-09..12; SEC v. Terraform Labs and Do Kwon (2023-02-16)",
    standIn: { "LUNA-USD": FALLING },
    path: ["-0.2", "-0.140625", "-0.27272727", "-0.25", "-0.4", "-0.55555555", "-0.4375", "-0.55555555",
      "-0.6", "-0.75", "-0.75", "-0.8"].map((c) => step("LUNA-USD", c)),
  },
  {
    id: "hyperliquid-jelly-2025-03-26",
    name: "+400% pump of a thin perp (Hyperliquid JELLY, 26 March 2025)",
    source: "Hyperliquid announcement of 2025-03-26; CoinDesk and The Block, 2025-03-26",
    standIn: { "JELLY-USD": THIN },
    shocks: [{ market: "JELLY-USD", change: "4" }],
  },
  {
    id: "market-crash-2025-10-10",
    name: "Market-wide crash (10 October 2025)",
    source: "CoinGlass liquidation data, 2025-10-11; intraday drawdowns on major venues (approximate)",
    shocks: [
      ["BTC-USD", "-0.14"], ["ETH-USD", "-0.21"], ["SOL-USD", "-0.35"], ["DOGE-USD", "-0.5"], ["AVAX-USD", "-0.55"],
      ["LINK-USD", "-0.45"], ["JELLY-USD", "-0.7"], ["WIF-USD", "-0.6"], ["MNGO-USD", "-0.6"], ["UNI-USD", "-0.5"],
      ["AAVE-USD", "-0.45"], ["CRV-USD", "-0.55"], ["LUNA-USD", "-0.6"], ["ATOM-USD", "-0.7"],
    ].map(([market, change]) => ({ market, change })),
  },
];

// One change as the chosen book can take it: its own market, its stand-in, or nothing.
function placed(scenario, change, book, marketsBySegment) {
  const lists = (segment, market) => (segment ? [segment] : book)
    .some((id) => book.includes(id) && (marketsBySegment.get(id) || []).includes(market));
  if (lists(change.segment, change.market)) return change;
  const standIn = scenario.standIn && scenario.standIn[change.market];
  if (standIn && lists(standIn.segment, standIn.market)) return { ...change, ...standIn };
  return null;
}

// The scenario's request body for the chosen book.
export function scenarioBody(scenario, book, marketsBySegment) {
  const place = (list) => list.map((c) => placed(scenario, c, book, marketsBySegment)).filter((c) => c !== null);
  const body = { segments: book, compare: "monolithic" };
  if (scenario.path) body.path = scenario.path.map(place).filter((s) => s.length > 0);
  else body.shocks = place(scenario.shocks);
  return body;
}

// What the scenario will do on this book, for the form's description line.
export function scenarioMoves(scenario, book, marketsBySegment, format) {
  const body = scenarioBody(scenario, book, marketsBySegment);
  const text = (c) => `${c.segment ? c.segment + "/" : ""}${c.market} ${format(c.change)}`;
  if (body.path) {
    return body.path.length === 0 ? "no market of this book"
      : `${body.path.length} steps: ` + body.path.map((s) => s.map(text).join(", ")).join("; ");
  }
  return body.shocks.length === 0 ? "no market of this book" : body.shocks.map(text).join(", ");
}
