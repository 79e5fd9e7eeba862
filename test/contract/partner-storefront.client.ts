// A storefront partner's client, written only from the published document: the types come from
// openapi/experience-storefront.yaml through openapi-typescript (storefront-api.generated.ts), the calls go
// through openapi-fetch. Nothing here imports the platform's own code. It is type-checked strictly with the
// rest of the repository (`tsc --noEmit -p tsconfig.json` in `npm test`), so a document change that breaks a
// partner's code fails the build.
import createClient from 'openapi-fetch';
import type { components, paths } from './storefront-api.generated';

type Schemas = components['schemas'];
export type Reservation = Schemas['StorefrontReservation'];
export type Availability = Schemas['StorefrontAvailability'];
export type ReservationLine = Schemas['StorefrontReservationLine'];
export type InsufficientStock = Schemas['InsufficientStockProblem'];

/** What a checkout gets back: the hold, or the reason there is none. */
export type Hold =
  | { held: true; reservation: Reservation; replayed: boolean }
  | { held: false; shortages: InsufficientStock['shortages'] }
  | { held: false; retryLater: true }
  | { held: false; problem: string; status: number };

const INSUFFICIENT_STOCK = 'https://stockbridge.dev/problems/insufficient-stock';

export class PartnerStorefrontClient {
  private readonly api;

  constructor(baseUrl: string, apiKey: string) {
    this.api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
  }

  async availability(skus: string[], location?: string): Promise<Availability> {
    const { data, error } = await this.api.GET('/v1/availability', {
      params: { query: { sku: skus, ...(location !== undefined ? { location } : {}) } },
    });
    if (error) throw new Error(`availability: ${error.type}: ${error.detail}`);
    return data;
  }

  async hold(
    idempotencyKey: string,
    lines: ReservationLine[],
    options: { ttlSeconds?: number; reference?: string } = {},
  ): Promise<Hold> {
    const { data, error, response } = await this.api.POST('/v1/reservations', {
      params: { header: { 'Idempotency-Key': idempotencyKey } },
      body: { lines, ...options },
    });
    if (data) {
      return {
        held: true,
        reservation: data,
        replayed: response.headers.get('Idempotent-Replayed') === 'true',
      };
    }
    // The 409's schema is one of two problems, told apart by `type`: narrowing on it gives `shortages`.
    if (error.type === INSUFFICIENT_STOCK) return { held: false, shortages: error.shortages };
    if (error.status === 409 || error.status === 503 || error.status === 429) {
      return { held: false, retryLater: true };
    }
    return { held: false, problem: error.type, status: error.status };
  }

  async reservation(id: string): Promise<Reservation> {
    const { data, error } = await this.api.GET('/v1/reservations/{id}', { params: { path: { id } } });
    if (error) throw new Error(`getReservation: ${error.type}`);
    return data;
  }

  async confirm(id: string): Promise<Reservation> {
    const { data, error } = await this.api.POST('/v1/reservations/{id}/confirm', {
      params: { path: { id } },
    });
    if (error) throw new Error(`confirmReservation: ${error.type}`);
    return data;
  }

  /** More time for a checkout waiting on a payment (1.2), or the channel's limits when they do not allow it. */
  async extend(
    id: string,
    ttlSeconds: number,
  ): Promise<{ reservation: Reservation } | { latestExpiresAt: string | undefined; maxTtlSeconds: number }> {
    const { data, error } = await this.api.POST('/v1/reservations/{id}/extend', {
      params: { path: { id } },
      body: { ttlSeconds },
    });
    if (data) return { reservation: data };
    if (error.status === 422)
      return { latestExpiresAt: error.latestExpiresAt, maxTtlSeconds: error.maxTtlSeconds };
    throw new Error(`extendReservation: ${error.type}`);
  }

  /** The cart changed (1.2): the new lines, all or nothing; on a shortage the reservation keeps its lines. */
  async changeLines(id: string, idempotencyKey: string, lines: ReservationLine[]): Promise<Hold> {
    const { data, error, response } = await this.api.PUT('/v1/reservations/{id}/lines', {
      params: { path: { id }, header: { 'Idempotency-Key': idempotencyKey } },
      body: { lines },
    });
    if (data) {
      return {
        held: true,
        reservation: data,
        replayed: response.headers.get('Idempotent-Replayed') === 'true',
      };
    }
    if (error.type === INSUFFICIENT_STOCK) return { held: false, shortages: error.shortages };
    return { held: false, problem: error.type, status: error.status };
  }

  async release(id: string): Promise<Reservation> {
    const { data, error } = await this.api.POST('/v1/reservations/{id}/release', {
      params: { path: { id } },
    });
    if (error) throw new Error(`releaseReservation: ${error.type}`);
    return data;
  }

  /** The order a confirmed reservation placed, or why it cannot be read now (and when to retry). */
  async order(
    id: string,
  ): Promise<
    | { found: true; order: Schemas['StorefrontOrder'] }
    | { found: false; problem: string; retryAfterSeconds: number | null }
  > {
    const { data, error, response } = await this.api.GET('/v1/orders/{id}', { params: { path: { id } } });
    if (data) return { found: true, order: data };
    const retryAfter = response.headers.get('Retry-After');
    return {
      found: false,
      problem: error.type,
      retryAfterSeconds: retryAfter === null ? null : Number(retryAfter),
    };
  }
}
