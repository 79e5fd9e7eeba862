import { registerDecorator } from 'class-validator';

export const BACKEND_AUTH_KINDS = ['none', 'api-key', 'basic', 'oauth2'] as const;
export type BackendAuthKind = (typeof BACKEND_AUTH_KINDS)[number];

/** The variables each scheme needs; the optional ones may be left out. */
const REQUIRED: Record<BackendAuthKind, string[]> = {
  none: [],
  'api-key': ['BACKEND_API_KEY'],
  basic: ['BACKEND_USERNAME', 'BACKEND_PASSWORD'],
  oauth2: ['BACKEND_TOKEN_URL', 'BACKEND_CLIENT_ID', 'BACKEND_CLIENT_SECRET'],
};
const OPTIONAL: Record<BackendAuthKind, string[]> = {
  none: [],
  'api-key': ['BACKEND_API_KEY_HEADER'],
  basic: [],
  oauth2: ['BACKEND_SCOPE', 'BACKEND_TOKEN_REQUEST'],
};
const ALL = [...new Set(Object.values(REQUIRED).flat().concat(Object.values(OPTIONAL).flat()))];

/** Secrets shorter than this are refused (a typo, a placeholder). */
const MIN_SECRET = 8;
const SECRETS = new Set(['BACKEND_API_KEY', 'BACKEND_PASSWORD', 'BACKEND_CLIENT_SECRET']);

/**
 * What is wrong with the backend authentication variables of `config`: a variable of the chosen scheme
 * missing, a variable of another scheme present (a half-done change of scheme), a secret too short. Names
 * the variables, never their values.
 */
export function backendAuthProblems(config: Record<string, unknown>): string[] {
  const kind = config.BACKEND_AUTH as BackendAuthKind;
  if (!(kind in REQUIRED)) return [];
  const set = (name: string) => typeof config[name] === 'string' && config[name] !== '';
  const problems: string[] = [];
  const missing = REQUIRED[kind].filter((name) => !set(name));
  if (missing.length > 0) problems.push(`BACKEND_AUTH=${kind} needs ${missing.join(', ')}`);
  const stray = ALL.filter(
    (name) => set(name) && !REQUIRED[kind].includes(name) && !OPTIONAL[kind].includes(name),
  );
  if (stray.length > 0)
    problems.push(
      `${stray.join(', ')} ${stray.length > 1 ? 'are' : 'is'} not used with BACKEND_AUTH=${kind}`,
    );
  const short = REQUIRED[kind].filter(
    (name) => SECRETS.has(name) && set(name) && (config[name] as string).length < MIN_SECRET,
  );
  if (short.length > 0) problems.push(`${short.join(', ')} must be at least ${MIN_SECRET} characters`);
  return problems;
}

/** Validates the whole set of BACKEND_* authentication variables on the BACKEND_AUTH property. */
export function IsCompleteBackendAuth() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCompleteBackendAuth',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (_value: unknown, args) =>
          backendAuthProblems(args?.object as Record<string, unknown>).length === 0,
        defaultMessage: (args) =>
          backendAuthProblems(args?.object as Record<string, unknown>).join('; ') ||
          'incomplete backend authentication',
      },
    });
}
