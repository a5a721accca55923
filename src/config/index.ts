export { CONFIG_SPEC, type ConfigKey, type ConfigKeySpec } from "./schema.js";
export {
  CONFIG_KEYS,
  ConfigError,
  isConfigKey,
  parseConfigValue,
  parseSetArguments,
  readConfigFile,
  redactConfig,
  resolveConfig,
  type Config,
  type ConfigLayers,
  type ConfigSource,
  type ResolvedConfig,
} from "./config.js";
