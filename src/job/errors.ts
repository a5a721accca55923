/** A bad option of a replay (dates, strategies, broker mode): the CLI exits 2 with this one line. */
export class ReplayInputError extends Error {
  override name = "ReplayInputError";
}
