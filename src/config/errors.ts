/** A configuration problem: one line naming the key, where it came from, and what is expected. */
export class ConfigError extends Error {
  override name = "ConfigError";
}
