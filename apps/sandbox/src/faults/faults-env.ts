import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { BACKENDS, type Backend, type Faults, isBackend, mergeFaults, NO_FAULTS } from './faults';
import { FaultsInput } from './faults.dto';

export type FaultsByBackend = Record<Backend, Faults>;

export function noFaults(): FaultsByBackend {
  return Object.fromEntries(BACKENDS.map((b) => [b, { ...NO_FAULTS }])) as FaultsByBackend;
}

function messages(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => `${prefix}${m}`),
    ...messages(e.children ?? [], `${prefix}${e.property}.`),
  ]);
}

/**
 * Reads start-time faults, `{"erp":{"latencyMs":50}}`, with the same rules as PUT /admin/faults/:backend.
 * Returns the problems instead of the faults when the text is not a valid description.
 */
export function parseFaultsEnv(text: string): { faults: FaultsByBackend; problems: string[] } {
  const faults = noFaults();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { faults, problems: ['is not valid JSON'] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { faults, problems: [`must be a JSON object with the keys ${BACKENDS.join(', ')}`] };
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (!isBackend(key)) {
      problems.push(`"${key}" is not a backend (${BACKENDS.join(', ')})`);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${key} must be an object of faults`);
      continue;
    }
    const input = plainToInstance(FaultsInput, value);
    const errors = validateSync(input, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      problems.push(...messages(errors, `${key}.`));
      continue;
    }
    faults[key] = mergeFaults(faults[key], input);
  }
  return { faults, problems };
}
