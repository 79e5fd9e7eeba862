import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { problemType, statusTitle } from './problem';

/** RFC 9457 problem details, for the OpenAPI documents. */
export class ProblemView {
  @ApiProperty({
    example: 'https://stockbridge.dev/problems/validation-failed',
    description: 'Ends with one of the codes documented in docs/problems.md; match on that code',
  })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ type: 'integer', example: 400 })
  status!: number;

  @ApiProperty({ example: 'lines.0.quantity must not be less than 1' })
  detail!: string;

  @ApiPropertyOptional({ description: 'Correlation id of the request, as logged by the server' })
  instance?: string;
}

export class ShortageView {
  @ApiProperty({ example: 'SKU-00001' })
  sku!: string;

  @ApiProperty({ type: 'integer', example: 5 })
  requested!: number;

  @ApiProperty({ type: 'integer', example: 2 })
  available!: number;
}

export class InsufficientStockProblemView extends ProblemView {
  @ApiProperty({ type: [ShortageView] })
  shortages!: ShortageView[];
}

/** One documented problem code (docs/problems.md): its status and the extension members it carries. */
export interface ProblemCodeSpec {
  status: number;
  /** What `detail` typically says, for the examples. */
  detail: string;
  /** Extension members, as JSON Schema, with an example value each. */
  extensions?: Record<string, SchemaObject & { example: unknown }>;
  /** The extension members always present. */
  required?: string[];
}

const integer = (description: string, example: number): SchemaObject & { example: number } => ({
  type: 'integer',
  description,
  example,
});

/**
 * The problem codes an operation can document by name (`ApiProblems([409, '…', ['insufficient-stock']])`):
 * each becomes a schema of its own, `<Code>Problem`, whose `type` is that one URI, with its extension members.
 */
export const PROBLEM_CODES = {
  'validation-failed': {
    status: 400,
    detail: 'lines.0.quantity must not be less than 1',
    extensions: {
      errors: {
        type: 'array',
        items: { type: 'string' },
        description: 'Every broken rule, when the body broke field rules',
        example: ['lines.0.quantity must not be less than 1'],
      },
    },
  },
  'malformed-json': { status: 400, detail: 'The request body is not valid JSON.' },
  'invalid-cursor': {
    status: 400,
    detail:
      'The cursor is not one this list (orders) gave out; pass back the nextCursor of a page as it came, or leave it out to start again.',
  },
  'idempotency-key-required': {
    status: 400,
    detail:
      'Send an Idempotency-Key header (e.g. a UUID) so that a retried checkout never holds stock twice.',
  },
  'invalid-idempotency-key': {
    status: 400,
    detail: 'Idempotency-Key must be 1–255 visible ASCII characters.',
  },
  unauthorized: { status: 401, detail: 'The API key is unknown or revoked.' },
  forbidden: {
    status: 403,
    detail: 'This API key lacks the "reservations:write" scope.',
    extensions: {
      requiredScope: {
        type: 'string',
        enum: ['availability:read', 'reservations:write'],
        description: 'The scope the operation needs',
        example: 'reservations:write',
      },
    },
    required: ['requiredScope'],
  },
  'reservation-not-found': {
    status: 404,
    detail: 'Reservation "0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11" does not exist.',
  },
  'order-not-found': { status: 404, detail: 'Order "0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11" does not exist.' },
  'insufficient-stock': {
    status: 409,
    detail: 'Not enough stock for 1 SKU; nothing was held.',
    extensions: {
      shortages: {
        type: 'array',
        items: { $ref: '#/components/schemas/ShortageView' },
        description: 'Each short SKU, with what was requested and what is available',
        example: [{ sku: 'SKU-00042', requested: 3, available: 1 }],
      },
    },
    required: ['shortages'],
  },
  'idempotency-key-in-flight': {
    status: 409,
    detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
  },
  'hold-limit-exceeded': {
    status: 409,
    detail: 'This hold would take your units held in the channel past its limit of 20; nothing was held.',
    extensions: {
      maxHeldUnits: integer("The channel's limit of units held by one API client", 20),
      heldUnits: integer('Units you hold now across your active reservations', 18),
      requestedUnits: integer('Units this request would add', 3),
    },
    required: ['maxHeldUnits', 'heldUnits', 'requestedUnits'],
  },
  'reservation-not-active': {
    status: 409,
    detail: 'Reservation "0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11" is released and cannot be confirmed.',
    extensions: {
      reservationStatus: {
        type: 'string',
        enum: ['active', 'confirmed', 'released', 'expired'],
        description: "The reservation's status",
        example: 'released',
      },
    },
  },
  'body-too-large': {
    status: 413,
    detail: 'The request body is larger than the limit of this API.',
  },
  'unsupported-media-type': { status: 415, detail: 'Send the request body as application/json.' },
  'unknown-sku': {
    status: 422,
    detail: 'Unknown SKU "SKU-99999".',
    extensions: {
      skus: {
        type: 'array',
        items: { type: 'string' },
        description: 'The SKUs the platform does not know',
        example: ['SKU-99999'],
      },
    },
  },
  'location-not-in-channel': {
    status: 422,
    detail: 'Location "WH-9" is not one of your channel\'s locations.',
  },
  'idempotency-key-reused': {
    status: 422,
    detail: 'This Idempotency-Key was used with a different request; use a new key for a new request.',
  },
  'ttl-exceeds-maximum': {
    status: 422,
    detail: "The hold would last past the channel's maximum of 3600 seconds from its creation.",
    extensions: {
      maxTtlSeconds: integer("The channel's maximum lifetime of a reservation, from its creation", 3600),
      latestExpiresAt: {
        type: 'string',
        format: 'date-time',
        description: 'The latest expiry the reservation can have (on extend)',
        example: '2026-01-05T11:00:00.000Z',
      },
    },
    required: ['maxTtlSeconds'],
  },
  'rate-limited': {
    status: 429,
    detail: 'Too many requests; retry after the number of seconds in Retry-After.',
  },
  'upstream-error': { status: 502, detail: 'The reservation service answered unexpectedly.' },
  'upstream-unavailable': {
    status: 503,
    detail: 'The reservation service is unavailable; retry with the same Idempotency-Key.',
  },
  'availability-unavailable': {
    status: 503,
    detail: 'Availability is temporarily unavailable; retry shortly.',
  },
  'upstream-timeout': {
    status: 504,
    detail: 'The reservation service did not answer in time; retry with the same Idempotency-Key.',
  },
} satisfies Record<string, ProblemCodeSpec>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** `insufficient-stock` → `InsufficientStockProblem`: the schema name of one problem code. */
export function problemSchemaName(code: ProblemCode): string {
  return `${code.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}Problem`;
}

/** The JSON Schema of one problem code: the RFC 9457 members, `type` fixed to the code, its extensions. */
export function problemCodeSchema(code: ProblemCode): SchemaObject {
  const spec: ProblemCodeSpec = PROBLEM_CODES[code];
  return {
    type: 'object',
    description: `Problem \`${code}\` (docs/problems.md)`,
    properties: {
      type: { type: 'string', enum: [problemType(code)] },
      title: { type: 'string', example: statusTitle(spec.status) },
      status: { type: 'integer', enum: [spec.status] },
      detail: { type: 'string', description: 'For people; may change', example: spec.detail },
      instance: { type: 'string', description: 'Correlation id of the request, as logged by the server' },
      ...spec.extensions,
    },
    required: ['type', 'title', 'status', 'detail', ...(spec.required ?? [])],
  };
}

/** An example body of one problem code. */
export function problemExample(code: ProblemCode): Record<string, unknown> {
  const spec: ProblemCodeSpec = PROBLEM_CODES[code];
  return {
    type: problemType(code),
    title: statusTitle(spec.status),
    status: spec.status,
    detail: spec.detail,
    ...Object.fromEntries(Object.entries(spec.extensions ?? {}).map(([k, v]) => [k, v.example])),
  };
}
