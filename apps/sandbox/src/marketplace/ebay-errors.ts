import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { NativeError } from '../infra/native-error';

/**
 * The marketplace's APIs, after eBay's: the Sell Inventory API, the Sell Fulfillment API and the Post-Order
 * API (cancellations). Each has its own error domain and call limit.
 */
export type EbayApiName = 'inventory' | 'fulfillment' | 'post-order';

/** eBay's ErrorParameter: the name and value of an input that caused an error or warning. */
export interface EbayErrorParameter {
  name: string;
  value: string;
}

/** eBay's Error (ErrorDetailV3) of the Sell APIs. */
export interface EbayErrorDetail {
  errorId: number;
  domain: string;
  subdomain?: string;
  category: 'REQUEST' | 'APPLICATION' | 'BUSINESS';
  message: string;
  longMessage?: string;
  parameters?: EbayErrorParameter[];
}

const DOMAIN: Record<Exclude<EbayApiName, 'post-order'>, { domain: string; subdomain: string }> = {
  inventory: { domain: 'API_INVENTORY', subdomain: 'Selling' },
  fulfillment: { domain: 'API_FULFILLMENT', subdomain: 'Selling' },
};

/** One error of the Inventory or Fulfillment API, in eBay's shape. */
export function ebayError(
  api: 'inventory' | 'fulfillment',
  errorId: number,
  message: string,
  options: {
    category?: EbayErrorDetail['category'];
    longMessage?: string;
    parameters?: EbayErrorParameter[];
  } = {},
): EbayErrorDetail {
  return {
    errorId,
    ...DOMAIN[api],
    category: options.category ?? 'REQUEST',
    message,
    ...(options.longMessage ? { longMessage: options.longMessage } : {}),
    ...(options.parameters ? { parameters: options.parameters } : {}),
  };
}

/** The Post-Order API's own error container (`errorMessage.error[]`), unlike the Sell APIs'. */
export function postOrderErrorBody(
  errorId: number,
  status: number,
  message: string,
  parameters: EbayErrorParameter[] = [],
  category: 'REQUEST' | 'APPLICATION' = 'REQUEST',
): Record<string, unknown> {
  return {
    errorMessage: {
      error: [
        {
          errorId,
          domain: 'cancelErrorDomain',
          severity: 'ERROR',
          category,
          message,
          parameter: parameters,
          httpStatusCode: String(status),
        },
      ],
    },
  };
}

/** An answer of an eBay-shaped API, body as eBay writes it (`{ errors: [...] }` for the Sell APIs). */
export class EbayError extends NativeError {
  static of(status: number, errors: EbayErrorDetail[], headers: Record<string, string> = {}): EbayError {
    return new EbayError(status, { errors }, headers);
  }
}

/**
 * Errors every eBay API answers the same way, from its gateway: a missing or wrong access token (1001) and
 * a call past the call limit (2001), as eBay's common error codes have them.
 */
export const INVALID_TOKEN: EbayErrorDetail = {
  errorId: 1001,
  domain: 'OAuth',
  category: 'REQUEST',
  message: 'Invalid access token',
  longMessage: 'Invalid access token. Check the value of the Authorization HTTP request header.',
};

export const TOO_MANY_REQUESTS: EbayErrorDetail = {
  errorId: 2001,
  domain: 'ACCESS',
  category: 'REQUEST',
  message: 'Too many requests.',
  longMessage: 'The request limit has been reached for the resource.',
};

/** The API's "system error": what eBay answers when it fails (the sandbox's injected 500, 503 and 504). */
function systemError(api: EbayApiName, status: number): Record<string, unknown> {
  switch (api) {
    case 'inventory':
      return { errors: [ebayError(api, 25001, 'A system error has occurred.', { category: 'APPLICATION' })] };
    case 'fulfillment':
      return { errors: [ebayError(api, 30500, 'System error', { category: 'APPLICATION' })] };
    case 'post-order':
      return postOrderErrorBody(
        1001,
        status,
        'Application encountered an internal error.',
        [],
        'APPLICATION',
      );
  }
}

/** A request the framework refused (a validation pipe, an unknown route parameter), in the API's shape. */
function requestError(api: EbayApiName, message: string): Record<string, unknown> {
  switch (api) {
    case 'inventory':
      return { errors: [ebayError(api, 25709, `Invalid value for ${message}.`)] };
    case 'fulfillment':
      return { errors: [ebayError(api, 30800, message)] };
    case 'post-order':
      return postOrderErrorBody(1002, 400, message);
  }
}

/**
 * Sends every error of an eBay-shaped controller in eBay's format: its own EbayErrors as they are; the
 * sandbox's credential check (401) and injected faults (429, 500, 503, 504) in the API's error body, with
 * their headers (Retry-After, WWW-Authenticate); anything unexpected as the API's system error (500), logged.
 */
@Catch()
export class EbayErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('EbayErrorFilter');

  constructor(private readonly api: EbayApiName) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.raw.destroyed || reply.sent) return;
    const { status, body, headers } = this.translate(error);
    void reply.status(status).headers(headers).send(body);
  }

  private translate(error: unknown): {
    status: number;
    body: Record<string, unknown>;
    headers: Record<string, string>;
  } {
    if (error instanceof EbayError) return { status: error.status, body: error.body, headers: error.headers };
    if (error instanceof NativeError) {
      const body =
        error.status === 401
          ? { errors: [INVALID_TOKEN] }
          : error.status === 429
            ? { errors: [TOO_MANY_REQUESTS] }
            : systemError(this.api, error.status);
      return { status: error.status, body, headers: error.headers };
    }
    if (error instanceof HttpException && error.getStatus() < 500) {
      const response = error.getResponse() as string | { message?: string | string[] };
      const message =
        typeof response === 'string'
          ? response
          : Array.isArray(response.message)
            ? response.message.join('; ')
            : (response.message ?? error.message);
      return { status: error.getStatus(), body: requestError(this.api, message), headers: {} };
    }
    this.log.error(error);
    return { status: 500, body: systemError(this.api, 500), headers: {} };
  }
}
