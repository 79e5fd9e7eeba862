// Shared by the parsers and the validator; not part of the library's API (index.ts does not export it).
import { DEFAULT_CHANNEL_POLICY, type ChannelPolicy } from '@stockbridge/canonical';

// Where a row parsed from CSV came from ("stock.csv line 14"), so that validation can point at the line.
// Kept beside the rows rather than in them so that the parsed catalog has exactly the file's shape.
export const rowOrigins = new WeakMap<object, string>();

/** The fields of a channel's policy (a channels.csv row holds them as columns). */
export const POLICY_FIELDS = Object.keys(DEFAULT_CHANNEL_POLICY) as (keyof ChannelPolicy)[];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
