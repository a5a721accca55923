/** A recording that fails its hashes: edited, truncated or reordered after it was written. */
export class DamagedRecordingError extends Error {
  override name = "DamagedRecordingError";
}
