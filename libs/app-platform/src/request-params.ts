import { createParamDecorator, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ProblemError } from './problem';

/** An Idempotency-Key: 1–255 visible ASCII characters (RFC 9110 token-ish, no spaces). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface IdempotencyKeyOptions {
  /** A write that must carry the key: without it, 400 `idempotency-key-required` with this detail. */
  requiredBecause?: string;
}

/**
 * The request's `Idempotency-Key` header, validated where the request is received, once: a key that is not
 * 1–255 visible ASCII characters is 400 `invalid-idempotency-key`; a missing one is `undefined`, or 400
 * `idempotency-key-required` when the operation requires it. Document the header with `@ApiHeader` beside it.
 */
export const IdempotencyKey = createParamDecorator(
  (options: IdempotencyKeyOptions | undefined, ctx: ExecutionContext): string | undefined => {
    const raw = ctx.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
    const key = Array.isArray(raw) ? raw.join(', ') : raw;
    if (key === undefined || key === '') {
      if (options?.requiredBecause)
        throw ProblemError.of(400, 'idempotency-key-required', options.requiredBecause);
      return undefined;
    }
    if (!IDEMPOTENCY_KEY_PATTERN.test(key))
      throw ProblemError.of(
        400,
        'invalid-idempotency-key',
        'Idempotency-Key must be 1–255 visible ASCII characters.',
      );
    return key;
  },
);

/**
 * A path parameter that names a thing by its form (an id that must be a UUID, a channel code): one of another
 * form is refused with the operation's problem — usually the thing's 404 (an id that is not a UUID names no
 * reservation, as an unknown one does not), or a 400 where the contract says so. `normalize` gives the
 * canonical form (e.g. lower case).
 */
export class PathCodePipe implements PipeTransform<string, string> {
  constructor(
    private readonly accepts: (value: string) => boolean,
    private readonly refuse: (value: string) => ProblemError,
    private readonly normalize: (value: string) => string = (v) => v,
  ) {}

  transform(value: string): string {
    if (typeof value !== 'string' || !this.accepts(value)) throw this.refuse(String(value));
    return this.normalize(value);
  }
}

/** A code of the catalog (SKU, location): 1–64 letters, digits, ".", "_" or "-". */
export const CATALOG_CODE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const CODE_RULE = '1–64 letters, digits, ".", "_" or "-"';

/**
 * A query parameter naming one catalog code, optional: `@Query('location', new CatalogCodePipe('location'))`.
 * Repeated or not a code, it is 400 `validation-failed` naming the parameter.
 */
export class CatalogCodePipe implements PipeTransform<unknown, string | undefined> {
  constructor(private readonly name: string) {}

  transform(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !CATALOG_CODE_PATTERN.test(value))
      throw ProblemError.of(400, 'validation-failed', `${this.name} must be one code of ${CODE_RULE}.`);
    return value;
  }
}

/**
 * A repeatable query parameter naming 1 to `max` catalog codes (`?sku=A&sku=B`), as a list without
 * repeats in the order given; none, too many or an invalid one is 400 `validation-failed` saying which.
 */
export class CatalogCodeListPipe implements PipeTransform<unknown, string[]> {
  constructor(
    private readonly name: string,
    private readonly max: number,
    private readonly example: string,
  ) {}

  transform(value: unknown): string[] {
    const list = value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value];
    if (list.length === 0)
      throw ProblemError.of(
        400,
        'validation-failed',
        `Give at least one ${this.name} query parameter, e.g. ?${this.name}=${this.example}.`,
      );
    if (list.length > this.max)
      throw ProblemError.of(
        400,
        'validation-failed',
        `Give at most ${this.max} ${this.name} parameters per call (got ${list.length}).`,
      );
    const bad = list.filter((s) => typeof s !== 'string' || !CATALOG_CODE_PATTERN.test(s));
    if (bad.length > 0)
      throw ProblemError.of(
        400,
        'validation-failed',
        `Invalid ${this.name} ${bad
          .slice(0, 5)
          .map((b) => JSON.stringify(b))
          .join(', ')}: ${CODE_RULE}.`,
      );
    return [...new Set(list as string[])];
  }
}

export interface CatalogCodesOptions {
  /** The query parameter's name, e.g. `sku`. */
  name: string;
  max: number;
  /** A code for the error's hint, e.g. `SKU-00001`. */
  example: string;
}

/**
 * The repeatable query parameter `name` as 1 to `max` catalog codes, checked by CatalogCodeListPipe. A parameter
 * decorator rather than `@Query(name, pipe)`, so that the operation's `@ApiQuery` alone documents the parameter
 * (with its item pattern and bounds) instead of the list type Swagger reads from the handler's signature.
 */
export const QueryCatalogCodes = createParamDecorator(
  (options: CatalogCodesOptions, ctx: ExecutionContext): string[] => {
    const query = ctx.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown>;
    return new CatalogCodeListPipe(options.name, options.max, options.example).transform(query[options.name]);
  },
);
