import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtraModels, ApiResponse, ApiSecurity, getSchemaPath } from '@nestjs/swagger';
import { NativeAuthGuard, nativeBackend } from '../auth/sandbox-auth';
import { FaultGuard } from '../faults/native-api.decorator';
import { TokenBucket } from '../faults/token-bucket';
import { SandboxConfig } from '../sandbox.config';
import { EbayError, type EbayApiName, EbayErrorFilter, TOO_MANY_REQUESTS } from './ebay-errors';
import { EbayErrorsView } from './ebay.dto';

/** Metadata key naming the eBay API of a marketplace controller (set by `EbayApi`). */
export const EBAY_API = 'sandbox:ebay-api';

/** Calls handled and refused per API, in this instance's memory. */
export interface EbayCallCounts {
  /** Calls that passed the credential check, the faults and the call limit, and reached their handler. */
  calls: number;
  /** Calls answered 429 for going past the call limit. */
  rateLimited: number;
}

/**
 * eBay's call limits, scaled from a day to a second: eBay gives the Inventory API 2,000,000 calls a day and
 * the Fulfillment API 100,000 (developer.ebay.com, API call limits), which a test cannot reach; the sandbox
 * keeps a token bucket per API instead, at SANDBOX_MARKETPLACE_INVENTORY_CALLS_PER_SECOND and
 * SANDBOX_MARKETPLACE_ORDER_CALLS_PER_SECOND (0: no limit), and answers a call past it 429 with Retry-After
 * and eBay's "Too many requests" (2001). The Post-Order API has no limit here. One bucket per API and
 * instance, as eBay counts per application and API.
 */
@Injectable()
export class EbayCallLimits {
  private readonly buckets = new Map<EbayApiName, TokenBucket>();
  private readonly tallies = new Map<EbayApiName, EbayCallCounts>();

  constructor(@Inject(SandboxConfig) config: SandboxConfig) {
    const rates: [EbayApiName, number][] = [
      ['inventory', config.SANDBOX_MARKETPLACE_INVENTORY_CALLS_PER_SECOND],
      ['fulfillment', config.SANDBOX_MARKETPLACE_ORDER_CALLS_PER_SECOND],
    ];
    for (const [api, rate] of rates)
      if (rate > 0) this.buckets.set(api, new TokenBucket(rate, performance.now()));
  }

  /** The calls per second the API accepts (a burst of as many after a quiet second), or 0 for no limit. */
  rate(api: EbayApiName): number {
    return this.buckets.get(api)?.ratePerSecond ?? 0;
  }

  /** Takes a call from the API's budget: undefined when it may go on, else the seconds to wait. */
  take(api: EbayApiName): number | undefined {
    const counts = this.count(api);
    const bucket = this.buckets.get(api);
    if (bucket && !bucket.take(performance.now())) {
      counts.rateLimited++;
      // A bucket of at least one call a second holds a whole token again within a second.
      return Math.max(1, Math.ceil(1 / bucket.ratePerSecond));
    }
    counts.calls++;
    return undefined;
  }

  counts(api: EbayApiName): EbayCallCounts {
    return { ...this.count(api) };
  }

  private count(api: EbayApiName): EbayCallCounts {
    let counts = this.tallies.get(api);
    if (!counts) {
      counts = { calls: 0, rateLimited: 0 };
      this.tallies.set(api, counts);
    }
    return counts;
  }
}

/** Answers a call past its API's call limit 429, after the credential check and the injected faults. */
@Injectable()
export class EbayCallLimitGuard implements CanActivate {
  constructor(
    @Inject(EbayCallLimits) private readonly limits: EbayCallLimits,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const api = this.reflector.get<EbayApiName>(EBAY_API, context.getClass());
    const retryAfter = this.limits.take(api);
    if (retryAfter !== undefined)
      throw EbayError.of(429, [TOO_MANY_REQUESTS], { 'retry-after': String(retryAfter) });
    return true;
  }
}

const errorResponse = (status: number, description: string) =>
  ApiResponse({ status, description, schema: { type: 'object', additionalProperties: true } });
const ebayErrorsResponse = (status: number, description: string) =>
  ApiResponse({ status, description, schema: { $ref: getSchemaPath(EbayErrorsView) } });

/**
 * Marks a controller as one of the marketplace's eBay APIs: the marketplace's credential is checked (when
 * SANDBOX_MARKETPLACE_AUTH sets one), then its faults (/admin/faults/marketplace), then the API's call limit;
 * every error leaves in eBay's format for that API.
 */
export function EbayApi(api: EbayApiName) {
  return applyDecorators(
    nativeBackend('marketplace'),
    SetMetadata(EBAY_API, api),
    UseGuards(NativeAuthGuard, FaultGuard, EbayCallLimitGuard),
    UseFilters(new EbayErrorFilter(api)),
    ApiSecurity({}),
    ApiSecurity('nativeApiKey'),
    ApiSecurity('basic'),
    ApiSecurity('nativeOAuth2'),
    ApiExtraModels(EbayErrorsView),
    ebayErrorsResponse(
      401,
      "eBay's `1001` Invalid access token: the marketplace's credential is missing or wrong (when SANDBOX_MARKETPLACE_AUTH sets one)",
    ),
    ebayErrorsResponse(
      429,
      "eBay's `2001` Too many requests, with Retry-After: past the API's call limit, or an injected fault",
    ),
    // The Post-Order API's system error has its own container: these stay untyped.
    errorResponse(500, "The API's system error (fault injection)"),
    errorResponse(503, "The API's system error (fault injection: outage)"),
    errorResponse(504, "The API's system error (fault injection: the request hung)"),
  );
}
