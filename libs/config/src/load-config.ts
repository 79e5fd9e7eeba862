import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Raised at boot when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const own = Object.values(e.constraints ?? {}).map((msg) => `${prefix}${e.property}: ${msg}`);
    return [...own, ...describe(e.children ?? [], `${prefix}${e.property}.`)];
  });
}

/**
 * Reads environment variables into a validated config class. Property names are the variable names;
 * class-transformer's implicit conversion turns "3000" into 3000 for number fields.
 */
export function loadConfig<T extends object>(
  schema: new () => T,
  env: Record<string, string | undefined> = process.env,
): T {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const instance = plainToInstance(schema, present, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(describe(errors));
  // Keep only the declared fields, never the rest of the environment.
  return instance;
}

/** Masks secrets for logging the effective configuration. */
export function redact<T extends object>(config: T, secretKeys: (keyof T)[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  for (const key of secretKeys) if (out[key as string] !== undefined) out[key as string] = '***';
  return out;
}
