import { CONFIG_KEYS, CONFIG_SPEC, parseSetArguments, readConfigFile, redactConfig, resolveConfig } from "../config/index.js";
import { ALLOCATION_PARAMS, listStrategies, type ParamInfo } from "../strategies/index.js";

/** `tradeguard strategies`: the built-ins and their parameters, then the ones every strategy takes. */
export function strategiesCommand(): void {
  for (const info of listStrategies()) {
    process.stdout.write(`${info.name}: ${info.description}\n`);
    for (const param of info.params) writeParam(param);
  }
  process.stdout.write("every strategy also takes:\n");
  for (const param of ALLOCATION_PARAMS) writeParam(param);
}

function writeParam(param: ParamInfo): void {
  const fallback = param.default === undefined ? "" : ` (default ${JSON.stringify(param.default)})`;
  process.stdout.write(`  ${param.name} <${param.type}>${fallback}: ${param.description}\n`);
}

/** `tradeguard config`: every key's resolved value and where it came from (secrets masked). */
export function configCommand(args: { set: string[]; config?: string }): void {
  const { config, sources } = resolveConfig({
    cli: parseSetArguments(args.set),
    env: process.env,
    ...(args.config ? { file: readConfigFile(args.config), filePath: args.config } : {}),
  });
  const shown = redactConfig(config);
  for (const key of CONFIG_KEYS) {
    process.stdout.write(`${key}=${formatValue(shown[key])}  # ${sources[key]}; ${CONFIG_SPEC[key].description}\n`);
  }
}

function formatValue(value: unknown): string {
  return Array.isArray(value) ? value.join(",") : String(value);
}
