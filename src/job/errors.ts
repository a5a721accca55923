/** A bad option of a replay (dates, strategies, broker mode): the CLI exits 2 with this one line. */
export class ReplayInputError extends Error {
  override name = "ReplayInputError";
}

/** The store was never traded by `tradeguard trade` (or by a version without the flight recorder). */
export class NoRecordingError extends Error {
  override name = "NoRecordingError";
}
