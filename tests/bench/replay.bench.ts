/**
 * `npm run bench`: how fast the pipeline replays, and how much memory it holds. Prints one line per
 * case; speed targets are checked here, never in a timed unit test.
 */
import { performance } from "node:perf_hooks";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nyseCalendar } from "../../src/clock/index.js";
import { resolveConfig } from "../../src/config/index.js";
import { generateSyntheticBars, loadBarsCsv, type BarStore } from "../../src/data/index.js";
import { prepareReplay } from "../../src/job/index.js";
import type { StrategySpec } from "../../src/strategies/index.js";

interface Case {
  name: string;
  bars: () => Promise<BarStore>;
  strategies: StrategySpec[];
  from: string;
  to: string;
  /** Sessions per second the case must reach. */
  target: number;
}

const universe = Array.from({ length: 50 }, (_, i) => `SYN${String(i).padStart(3, "0")}`);
const CASES: Case[] = [
  {
    name: "S&P 500 2001-2020, buy_and_hold",
    bars: () => loadBarsCsv({ files: ["data/sp500-2000.csv"], symbol: "SPX", calendar: nyseCalendar }),
    strategies: [{ name: "buy_and_hold", params: { symbol: "SPX" } }],
    from: "2001-01-02",
    to: "2020-04-17",
    target: 1000,
  },
  {
    name: "50 synthetic symbols 2006-2015, momentum_top_n + sma_cross",
    bars: async () => generateSyntheticBars({ symbols: universe, from: "2005-01-03", to: "2015-12-31", calendar: nyseCalendar, seed: "bench" }),
    strategies: [
      { name: "momentum_top_n", params: { symbols: universe.join(","), topN: "5" } },
      { name: "sma_cross", params: { symbol: "SYN000", fast: "20", slow: "100" } },
    ],
    from: "2006-01-03",
    to: "2015-12-31",
    target: 150,
  },
];

let failed = false;
for (const benchCase of CASES) {
  const bars = await benchCase.bars();
  const job = prepareReplay({
    bars, dataLabel: benchCase.name, strategies: benchCase.strategies, from: benchCase.from, to: benchCase.to,
    seed: 1, outDir: mkdtempSync(join(tmpdir(), "tradeguard-bench-")), config: resolveConfig({ env: {} }).config,
  });
  const started = performance.now();
  const { result } = await job.run();
  const seconds = (performance.now() - started) / 1000;
  await job.close();
  const rate = result.sessions / seconds;
  const ok = rate >= benchCase.target;
  failed ||= !ok;
  const heapMb = process.memoryUsage().rss / 2 ** 20;
  console.log(`${ok ? "ok  " : "SLOW"} ${benchCase.name}: ${result.sessions} sessions in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} sessions/s (target ≥ ${benchCase.target}); rss ${heapMb.toFixed(0)} MiB`);
}
process.exitCode = failed ? 1 : 0;
