// The console's scenario library: historical incidents (RISK.md "Stress and contagion")
// written against the embedded default markets. A shock or step naming a market that no
// segment of the chosen book lists is dropped before the request, so a scenario still runs
// on a custom book that lacks some of them. Each entry names its public source; the
// repository's own scenario files (`bulkhead stress --scenario`) are the reference set.
export const SCENARIOS = [
  {
    id: "eth-2020-03-12",
    name: "ETH −43% in a day (12 March 2020)",
    source: "MakerDAO 'Black Thursday' post-mortem, March 2020",
    shocks: [{ market: "ETH-USD", change: "-0.43" }],
  },
  {
    id: "mango-2022-10-11",
    name: "Thin-market oracle pump ~30× in minutes (Mango Markets, 11 October 2022)",
    source: "CFTC v. Eisenberg (Mango Markets manipulation), January 2023",
    shocks: [{ segment: "alts", market: "DOGE-USD", change: "29" }],
  },
  {
    id: "luna-2022-05",
    name: "To cents over three days, as LUNA (May 2022), as a path",
    source: "SEC v. Terraform Labs and Do Kwon, February 2023",
    path: [
      [{ segment: "alts", market: "SOL-USD", change: "-0.6" }],
      [{ segment: "alts", market: "SOL-USD", change: "-0.9" }],
      [{ segment: "alts", market: "SOL-USD", change: "-0.99" }],
    ],
  },
  {
    id: "jelly-2025-03-26",
    name: "+400% pump of a thin perp (Hyperliquid JELLY, 26 March 2025)",
    source: "Hyperliquid JELLY incident notice, 26 March 2025",
    shocks: [{ segment: "alts", market: "DOGE-USD", change: "4" }],
  },
  {
    id: "crash-2025-10-10",
    name: "Market-wide crash (10 October 2025)",
    source: "exchange data for 10 October 2025, intraday lows (approximate)",
    shocks: [
      { market: "BTC-USD", change: "-0.14" }, { market: "ETH-USD", change: "-0.2" },
      { market: "SOL-USD", change: "-0.4" }, { market: "DOGE-USD", change: "-0.5" },
    ],
  },
];

// The scenario's request body, restricted to the markets of the chosen book.
export function scenarioBody(scenario, book, marketsBySegment) {
  const listed = (s) => book.some((id) => (s.segment ? id === s.segment : true)
    && (marketsBySegment.get(id) || []).includes(s.market));
  const body = { segments: book, compare: "monolithic" };
  if (scenario.path) {
    body.path = scenario.path.map((step) => step.filter(listed)).filter((step) => step.length > 0);
  } else {
    body.shocks = scenario.shocks.filter(listed);
  }
  return body;
}
