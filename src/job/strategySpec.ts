import type { StrategySpec } from "../strategies/index.js";

/**
 * Parses a command-line strategy: `NAME[:key=value…]`, e.g. `sma_cross:fast=20:slow=100` or
 * `momentum_top_n:symbols=AAA,BBB,CCC:topN=2`; `id=` names an instance.
 */
export function parseStrategyArgument(text: string): StrategySpec {
  const [name, ...pairs] = text.split(":");
  const params: Record<string, unknown> = {};
  let id: string | undefined;
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new Error(`--strategy ${text}: expected NAME[:key=value…], e.g. sma_cross:fast=20:slow=100`);
    const key = pair.slice(0, at);
    if (key === "id") id = pair.slice(at + 1);
    else params[key] = pair.slice(at + 1);
  }
  return { name: name.trim(), ...(id ? { id } : {}), params };
}
