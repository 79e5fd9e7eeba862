import type { ApiHeaderOptions, ApiParamOptions } from '@nestjs/swagger';
import {
  CATALOG_CODE_PATTERN,
  headerRef,
  IDEMPOTENCY_KEY_PATTERN,
  type ProblemEntry,
} from '@stockbridge/app-platform';
import type { ApiScope } from '@stockbridge/canonical';

// What the POS operations document in common (OpenAPI), and the path parameter they share.

/** SKU and location codes: the platform's one rule for catalog codes. */
export const CODE_PATTERN = CATALOG_CODE_PATTERN;

/** The store in the path: the store the calling key is bound to. */
export const STORE_PARAM: ApiParamOptions = {
  name: 'store',
  description: 'Your store: the location code your API key is bound to (another store is 403)',
  schema: { type: 'string', pattern: CODE_PATTERN.source },
  example: 'STORE-NYC',
};

/** Every operation authenticates its API key, checks its store and the operation's scope. */
export const keyProblems = (scope: ApiScope): ProblemEntry[] => [
  [401, 'No, unknown or revoked API key', ['unauthorized']],
  [
    403,
    `\`forbidden\`: the key is bound to another store or to none, or lacks the \`${scope}\` scope (then \`requiredScope\` names it)`,
  ],
];

/** A body that is too large, or not application/json. */
export const BODY_PROBLEMS: ProblemEntry[] = [
  [413, 'Body over the size limit (1 MB by default)', ['body-too-large']],
  [415, 'Body is not application/json', ['unsupported-media-type']],
];

/** The inventory service could not answer: send the same request again (it is safe). */
export const UPSTREAM_PROBLEMS: ProblemEntry[] = [
  [502, 'The inventory service answered unexpectedly; send the same request again', ['upstream-error']],
  [
    503,
    'The inventory service is unavailable; send the same request again after `Retry-After` seconds',
    ['upstream-unavailable'],
    { 'Retry-After': headerRef('Retry-After') },
  ],
  [504, 'The inventory service did not answer in time; send the same request again', ['upstream-timeout']],
];

export const IDEMPOTENCY_KEY_HEADER = (description: string): ApiHeaderOptions => ({
  name: 'Idempotency-Key',
  required: true,
  description: `${description}; 1–255 visible ASCII characters (a UUID is ideal)`,
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: IDEMPOTENCY_KEY_PATTERN.source },
  example: '5f0c8a4e-2b7d-4c1a-9e3f-6a8b7c9d0e1f',
});

export const REPLAYED = { 'Idempotent-Replayed': headerRef('Idempotent-Replayed') };
