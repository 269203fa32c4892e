// Loads the service configuration: reads JSON, applies defaults and validates required keys.

export const DEFAULTS = { port: 8080, logLevel: "info", workers: 2 };
const REQUIRED = ["databaseUrl"];

export class ConfigError extends Error {
  constructor(message) {
    super(message);
    this.name = "ConfigError";
  }
}

export function withDefaults(raw) {
  return { ...DEFAULTS, ...raw };
}

export function validate(config) {
  const missing = REQUIRED.filter((key) => !config[key]);
  if (missing.length > 0) throw new ConfigError(`missing required setting(s): ${missing.join(", ")}`);
  if (!Number.isInteger(config.port) || config.port <= 0) throw new ConfigError("port must be a positive integer");
  return config;
}

export function parseConfigText(text, source) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source} is not valid JSON: ${error.message}`);
  }
}

export async function loadConfig(path, readText) {
  const text = readText(path);
  return validate(withDefaults(parseConfigText(text, path)));
}
