import seedrandom from "seedrandom";
import { assertSessionDate } from "../clock/index.js";
import type { SessionDate, TradingCalendar } from "../clock/index.js";
import { BarStore, type SymbolBars } from "./barStore.js";

export interface SyntheticBarsOptions {
  /** A count (named SYN000, SYN001, …) or explicit symbol names. */
  readonly symbols: number | readonly string[];
  readonly from: SessionDate;
  readonly to: SessionDate;
  readonly calendar: TradingCalendar;
  readonly seed: string | number;
  readonly startPrice?: number;
  /** Expected annual return. */
  readonly drift?: number;
  /** Annual volatility of the diffusion part. */
  readonly volatility?: number;
  /** Expected jumps per year. */
  readonly jumpIntensity?: number;
  /** Mean of a jump's log return. */
  readonly jumpMean?: number;
  /** Standard deviation of a jump's log return. */
  readonly jumpStdev?: number;
  /**
   * Target pairwise correlation of the symbols' diffusion returns, in [0, 1]: a market factor shared by
   * every symbol plus idiosyncratic noise. Unset (or 0) gives independent symbols, the bars of before.
   */
  readonly correlation?: number;
}

/** One standard normal per session for the overnight and the intraday move, shared by every symbol. */
interface MarketFactor {
  readonly overnight: Float64Array;
  readonly intraday: Float64Array;
  /** √ρ on the market draw and √(1 − ρ) on the symbol's own, so any two symbols correlate at ρ. */
  readonly marketLoading: number;
  readonly ownLoading: number;
}

interface PathParameters {
  readonly startPrice: number;
  /** Log drift per session, compensated so jumps do not change the expected return. */
  readonly dailyDrift: number;
  readonly overnightSigma: number;
  readonly intradaySigma: number;
  /** exp(-λ·dt): the Poisson draw's threshold. */
  readonly noJumpProbability: number;
  readonly jumpMean: number;
  readonly jumpStdev: number;
  readonly rangeSigma: number;
}

const SESSIONS_PER_YEAR = 252;
const DT = 1 / SESSIONS_PER_YEAR;
/** Share of a session's diffusion variance that arrives overnight, as the open's gap. */
const OVERNIGHT_SHARE = 0.2;
const BASE_VOLUME = 1_000_000;
const VOLUME_SIGMA = 0.25;
const VOLUME_PER_RETURN = 10;
const DEFAULTS = { startPrice: 100, drift: 0.07, volatility: 0.2, jumpIntensity: 1, jumpMean: -0.04, jumpStdev: 0.06 };

/**
 * Daily OHLCV on calendar sessions from a Merton jump-diffusion (GBM plus Poisson log-normal jumps).
 * Each symbol draws from its own seedrandom stream, so a symbol's path depends only on the seed and its name.
 */
export function generateSyntheticBars(options: SyntheticBarsOptions): BarStore {
  const sessions = options.calendar.sessionsBetween(
    assertSessionDate(options.from, "generateSyntheticBars from"),
    assertSessionDate(options.to, "generateSyntheticBars to"),
  );
  if (sessions.length === 0) {
    throw new Error(`generateSyntheticBars: no ${options.calendar.name} sessions from ${options.from} to ${options.to}`);
  }
  const parameters = pathParameters(options);
  const market = marketFactor(options.correlation, sessions.length, options.seed);
  const series = symbolNames(options.symbols).map((symbol) =>
    generatePath(symbol, sessions.length, parameters, seedrandom.alea(`${options.seed}:${symbol}`), market),
  );
  return new BarStore(sessions, series);
}

/**
 * The shared factor, from its own stream (named so no symbol can share it), so every symbol's own draws
 * stay what they were without one and the factor does not depend on the order of the symbols.
 */
function marketFactor(correlation: number | undefined, length: number, seed: string | number): MarketFactor | null {
  if (correlation === undefined || correlation === 0) return null;
  if (!(correlation >= 0 && correlation <= 1)) throw new Error(`generateSyntheticBars: correlation must be in [0, 1], got ${correlation}`);
  const normal = normalSource(seedrandom.alea(`${seed}\u0000market factor`));
  const overnight = new Float64Array(length);
  const intraday = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    overnight[i] = normal();
    intraday[i] = normal();
  }
  return { overnight, intraday, marketLoading: Math.sqrt(correlation), ownLoading: Math.sqrt(1 - correlation) };
}

/** A symbol's standard-normal shock: its own draw alone, or mixed with the market's. */
function shock(own: number, market: MarketFactor | null, draws: "overnight" | "intraday", i: number): number {
  if (market === null) return own;
  return market.ownLoading * own + market.marketLoading * market[draws][i];
}

function symbolNames(symbols: number | readonly string[]): string[] {
  if (typeof symbols !== "number") {
    if (new Set(symbols).size !== symbols.length) throw new Error(`generateSyntheticBars: duplicate symbol in ${symbols.join(", ")}`);
    return [...symbols];
  }
  if (!Number.isInteger(symbols) || symbols < 1) {
    throw new Error(`generateSyntheticBars: symbols must be a positive whole number, got ${symbols}`);
  }
  return Array.from({ length: symbols }, (_, index) => `SYN${String(index).padStart(3, "0")}`);
}

function pathParameters(options: SyntheticBarsOptions): PathParameters {
  const startPrice = options.startPrice ?? DEFAULTS.startPrice;
  const drift = options.drift ?? DEFAULTS.drift;
  const volatility = options.volatility ?? DEFAULTS.volatility;
  const jumpIntensity = options.jumpIntensity ?? DEFAULTS.jumpIntensity;
  const jumpMean = options.jumpMean ?? DEFAULTS.jumpMean;
  const jumpStdev = options.jumpStdev ?? DEFAULTS.jumpStdev;
  if (![startPrice, drift, volatility, jumpIntensity, jumpMean, jumpStdev].every(Number.isFinite)) {
    throw new Error("generateSyntheticBars: startPrice, drift, volatility and the jump settings must be finite numbers");
  }
  if (startPrice <= 0 || volatility < 0 || jumpIntensity < 0 || jumpStdev < 0) {
    throw new Error("generateSyntheticBars: startPrice must be positive; volatility, jumpIntensity and jumpStdev not negative");
  }
  const meanJumpReturn = Math.exp(jumpMean + (jumpStdev * jumpStdev) / 2) - 1;
  return {
    startPrice,
    dailyDrift: (drift - (volatility * volatility) / 2 - jumpIntensity * meanJumpReturn) * DT,
    overnightSigma: volatility * Math.sqrt(DT * OVERNIGHT_SHARE),
    intradaySigma: volatility * Math.sqrt(DT * (1 - OVERNIGHT_SHARE)),
    noJumpProbability: Math.exp(-jumpIntensity * DT),
    jumpMean,
    jumpStdev,
    rangeSigma: (volatility * Math.sqrt(DT)) / 2,
  };
}

/** Jumps land overnight, so they show up as gaps between the previous close and the open. */
function generatePath(symbol: string, length: number, model: PathParameters, random: () => number, market: MarketFactor | null): SymbolBars {
  const bars = BarStore.emptySeries(symbol, length);
  const normal = normalSource(random);
  let previousClose = model.startPrice;
  for (let i = 0; i < length; i++) {
    const jumps = poisson(random, model.noJumpProbability);
    const jump = jumps === 0 ? 0 : jumps * model.jumpMean + model.jumpStdev * Math.sqrt(jumps) * normal();
    const open = previousClose * Math.exp(jump + model.overnightSigma * shock(normal(), market, "overnight", i));
    const close = open * Math.exp(model.dailyDrift + model.intradaySigma * shock(normal(), market, "intraday", i));
    bars.open[i] = open;
    bars.close[i] = close;
    bars.high[i] = Math.max(open, close) * Math.exp(-model.rangeSigma * Math.log(1 - random()));
    bars.low[i] = Math.min(open, close) * Math.exp(model.rangeSigma * Math.log(1 - random()));
    bars.volume[i] = volumeFor(Math.abs(Math.log(close / previousClose)), normal());
    bars.present[i] = 1;
    previousClose = close;
  }
  return bars;
}

/** Busier sessions on bigger moves, like real markets. */
function volumeFor(absoluteReturn: number, z: number): number {
  return Math.max(1, Math.round(BASE_VOLUME * Math.exp(VOLUME_SIGMA * z + VOLUME_PER_RETURN * absoluteReturn)));
}

/** Standard normals by Box–Muller, keeping the second value of each pair for the next call. */
function normalSource(random: () => number): () => number {
  let spare = Number.NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const value = spare;
      spare = Number.NaN;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/** Knuth's method; fine because λ·dt is small, so the loop almost always ends after one draw. */
function poisson(random: () => number, threshold: number): number {
  let count = 0;
  let product = random();
  while (product > threshold) {
    count++;
    product *= random();
  }
  return count;
}
