/**
 * The textual form of a UUID: 8-4-4-4-12 hexadecimal digits, either case. Any version and variant is accepted:
 * the platform only needs to tell an id of ours from some other reference, not to check how it was made.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID in its textual form (see UUID_PATTERN). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
