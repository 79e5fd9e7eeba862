// Generated from openapi/experience-storefront.yaml by openapi-typescript (npm run openapi); do not edit.
export interface paths {
  '/v1/availability': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Available to sell in your channel, per SKU, with per-location figures for pickup
     * @description At most 100 SKUs per call. An unknown SKU answers `known: false, available: 0`. With `location`, only that location is listed.
     */
    get: operations['getAvailability'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/orders/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One of your channel's orders: its state, shipments and history
     * @description Confirming a reservation places an order with the same id. Another channel’s order is 404, like one that does not exist.
     */
    get: operations['getOrder'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/reservations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Hold stock for a checkout: every line or none
     * @description Lines without a location are sourced from your channel's locations (one location for the whole order when possible). With the optional `shipTo`, order allocation prefers the location nearest to it. `Idempotency-Key` is required: repeating a request with the same key and body replays the first response (status and body, with `Idempotent-Replayed: true`); the same key with another body is 422; while the first request is still running a repeat gets 409. Keys are kept for 24 hours, then count as new. A request refused by validation (400) is not stored, so a corrected request may reuse its key.
     */
    post: operations['createReservation'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/reservations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One of your channel's reservations
     * @description Another channel’s reservation is 404, like one that does not exist.
     */
    get: operations['getReservation'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/reservations/{id}/confirm': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * active → confirmed: the order is placed; repeating it is harmless
     * @description Places the order (allocation follows; read it with getOrder). Confirming a confirmed reservation answers 200 again; a released or expired one is 409 `reservation-not-active`.
     */
    post: operations['confirmReservation'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/reservations/{id}/extend': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Give an active reservation more time, up to your channel’s maximum (since 1.2)
     * @description For a checkout that waits on a payment: `expiresAt` becomes the later of its current value and now + `ttlSeconds`. A reservation never lives past its creation + the channel's maximum lifetime (`ttl-exceeds-maximum`, with `maxTtlSeconds` and `latestExpiresAt`: extend to that at most). Stock does not move; repeating an extension is harmless. A confirmed, released or expired reservation is 409 `reservation-not-active`.
     */
    post: operations['extendReservation'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/reservations/{id}/lines': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Replace an active reservation's lines, all or nothing (since 1.2)
     * @description For a cart that changed: the lines you send replace every line of the reservation, with the rules of creation (without a location a line is sourced from your channel). Per SKU and location the difference is held or given back in one step: on `insufficient-stock` (or `hold-limit-exceeded`) nothing changes and the reservation keeps its lines. `expiresAt` stays. `Idempotency-Key` is required, as on creation: the same key and body replay the first response (with `Idempotent-Replayed: true`), another body is 422, a repeat while the first is running 409.
     */
    put: operations['changeReservationLines'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/reservations/{id}/release': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * active → released: the stock returns at once; repeating it is harmless
     * @description Gives the held stock back to your channel at once. Releasing a released reservation answers 200 again; a confirmed or expired one is 409 `reservation-not-active`.
     */
    post: operations['releaseReservation'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** @description Problem `availability-unavailable` (docs/problems.md) */
    AvailabilityUnavailableProblem: {
      /**
       * @description For people; may change
       * @example Availability is temporarily unavailable; retry shortly.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 503;
      /** @example Service Unavailable */
      title: string;
      /** @enum {string} */
      type: 'https://stockbridge.dev/problems/availability-unavailable';
    };
    /** @description Problem `body-too-large` (docs/problems.md) */
    BodyTooLargeProblem: {
      /**
       * @description For people; may change
       * @example The request body is larger than the limit of this API.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 413;
      /** @example Content Too Large */
      title: string;
      /** @enum {string} */
      type: 'https://stockbridge.dev/problems/body-too-large';
    };
    ChangeStorefrontReservationLines: {
      /** @description Replace every line of the reservation; same rules as on creation. */
      lines: components['schemas']['StorefrontReservationLine'][];
    };
    CreateStorefrontReservation: {
      lines: components['schemas']['StorefrontReservationLine'][];
      /**
       * @description Your own reference, e.g. the cart id.
       * @example cart-7f3a
       */
      reference?: string;
      /** @description Where the order ships to, if known at checkout; order allocation then prefers the nearest location. Optional (added in 1.1). */
      shipTo?: components['schemas']['StorefrontShipTo'];
      /**
       * @description Seconds the hold lasts unless confirmed (default 900).
       * @example 900
       */
      ttlSeconds?: number;
    };
    ExtendStorefrontReservation: {
      /**
       * @description Seconds from now the hold should last at least: expiresAt becomes the later of its current value and
       *     now + ttlSeconds, never past the channel's maximum lifetime from the reservation's creation.
       * @example 900
       */
      ttlSeconds: number;
    };
    /** @description Problem `forbidden` (docs/problems.md) */
    ForbiddenProblem: {
      /**
       * @description For people; may change
       * @example This API key lacks the "reservations:write" scope.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /**
       * @description The scope the operation needs
       * @example reservations:write
       * @enum {string}
       */
      requiredScope: 'availability:read' | 'reservations:write';
      /** @enum {integer} */
      status: 403;
      /** @example Forbidden */
      title: string;
      /** @enum {string} */
      type: 'https://stockbridge.dev/problems/forbidden';
    };
    /** @description Problem `hold-limit-exceeded` (docs/problems.md) */
    HoldLimitExceededProblem: {
      /**
       * @description For people; may change
       * @example This hold would take your units held in the channel past its limit of 20; nothing was held.
       */
      detail: string;
      /**
       * @description Units you hold now across your active reservations
       * @example 18
       */
      heldUnits: number;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /**
       * @description The channel's limit of units held by one API client
       * @example 20
       */
      maxHeldUnits: number;
      /**
       * @description Units this request would add
       * @example 3
       */
      requestedUnits: number;
      /** @enum {integer} */
      status: 409;
      /** @example Conflict */
      title: string;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'https://stockbridge.dev/problems/hold-limit-exceeded';
    };
    /** @description Problem `idempotency-key-in-flight` (docs/problems.md) */
    IdempotencyKeyInFlightProblem: {
      /**
       * @description For people; may change
       * @example A request with this Idempotency-Key is still being processed; retry shortly.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 409;
      /** @example Conflict */
      title: string;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'https://stockbridge.dev/problems/idempotency-key-in-flight';
    };
    /** @description Problem `idempotency-key-required` (docs/problems.md) */
    IdempotencyKeyRequiredProblem: {
      /**
       * @description For people; may change
       * @example Send an Idempotency-Key header (e.g. a UUID) so that a retried checkout never holds stock twice.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 400;
      /** @example Bad Request */
      title: string;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'https://stockbridge.dev/problems/idempotency-key-required';
    };
    /** @description Problem `idempotency-key-reused` (docs/problems.md) */
    IdempotencyKeyReusedProblem: {
      /**
       * @description For people; may change
       * @example This Idempotency-Key was used with a different request; use a new key for a new request.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 422;
      /** @example Unprocessable Content */
      title: string;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'https://stockbridge.dev/problems/idempotency-key-reused';
    };
    /** @description Problem `insufficient-stock` (docs/problems.md) */
    InsufficientStockProblem: {
      /**
       * @description For people; may change
       * @example Not enough stock for 1 SKU; nothing was held.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /**
       * @description Each short SKU, with what was requested and what is available
       * @example [
       *       {
       *         "available": 1,
       *         "requested": 3,
       *         "sku": "SKU-00042"
       *       }
       *     ]
       */
      shortages: components['schemas']['ShortageView'][];
      /** @enum {integer} */
      status: 409;
      /** @example Conflict */
      title: string;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'https://stockbridge.dev/problems/insufficient-stock';
    };
    /** @description Problem `invalid-idempotency-key` (docs/problems.md) */
    InvalidIdempotencyKeyProblem: {
      /**
       * @description For people; may change
       * @example Idempotency-Key must be 1–255 visible ASCII characters.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 400;
      /** @example Bad Request */
      title: string;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'https://stockbridge.dev/problems/invalid-idempotency-key';
    };
    /** @description Problem `location-not-in-channel` (docs/problems.md) */
    LocationNotInChannelProblem: {
      /**
       * @description For people; may change
       * @example Location "WH-9" is not one of your channel's locations.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 422;
      /** @example Unprocessable Content */
      title: string;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'https://stockbridge.dev/problems/location-not-in-channel';
    };
    /** @description Problem `malformed-json` (docs/problems.md) */
    MalformedJsonProblem: {
      /**
       * @description For people; may change
       * @example The request body is not valid JSON.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 400;
      /** @example Bad Request */
      title: string;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'https://stockbridge.dev/problems/malformed-json';
    };
    /** @description Problem `order-not-found` (docs/problems.md) */
    OrderNotFoundProblem: {
      /**
       * @description For people; may change
       * @example Order "0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11" does not exist.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 404;
      /** @example Not Found */
      title: string;
      /** @enum {string} */
      type: 'https://stockbridge.dev/problems/order-not-found';
    };
    /**
     * @description The order's state: pending_validation, reserved, allocated, released (to the warehouse for picking), partially_shipped, shipped, delivered, cancelled, returned or settled
     * @enum {string}
     */
    OrderState:
      | 'pending_validation'
      | 'reserved'
      | 'allocated'
      | 'released'
      | 'partially_shipped'
      | 'shipped'
      | 'delivered'
      | 'cancelled'
      | 'returned'
      | 'settled';
    /** @description Problem `rate-limited` (docs/problems.md) */
    RateLimitedProblem: {
      /**
       * @description For people; may change
       * @example Too many requests; retry after the number of seconds in Retry-After.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 429;
      /** @example Too Many Requests */
      title: string;
      /** @enum {string} */
      type: 'https://stockbridge.dev/problems/rate-limited';
    };
    /** @description Problem `reservation-not-active` (docs/problems.md) */
    ReservationNotActiveProblem: {
      /**
       * @description For people; may change
       * @example Reservation "0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11" is released and cannot be confirmed.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /**
       * @description The reservation's status
       * @example released
       * @enum {string}
       */
      reservationStatus?: 'active' | 'confirmed' | 'released' | 'expired';
      /** @enum {integer} */
      status: 409;
      /** @example Conflict */
      title: string;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'https://stockbridge.dev/problems/reservation-not-active';
    };
    /** @description Problem `reservation-not-found` (docs/problems.md) */
    ReservationNotFoundProblem: {
      /**
       * @description For people; may change
       * @example Reservation "0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11" does not exist.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 404;
      /** @example Not Found */
      title: string;
      /** @enum {string} */
      type: 'https://stockbridge.dev/problems/reservation-not-found';
    };
    /**
     * @description active (holding stock), confirmed (the order is placed), released, or expired
     * @enum {string}
     */
    ReservationStatus: 'active' | 'confirmed' | 'released' | 'expired';
    /**
     * @description allocated, released, partially_shipped, shipped, cancel_requested, cancelled or short_closed (the location could not ship it all)
     * @enum {string}
     */
    ShipmentStatus:
      | 'allocated'
      | 'released'
      | 'partially_shipped'
      | 'shipped'
      | 'cancel_requested'
      | 'cancelled'
      | 'short_closed';
    ShortageView: {
      /** @example 2 */
      available: number;
      /** @example 5 */
      requested: number;
      /** @example SKU-00001 */
      sku: string;
    };
    StorefrontAvailability: {
      /**
       * Format: date-time
       * @description When the oldest figure in this answer was computed
       * @example 2026-01-05T10:00:00.000Z
       */
      asOf: string;
      /** @example web */
      channel: string;
      items: components['schemas']['StorefrontSkuAvailability'][];
    };
    StorefrontLocationAvailability: {
      /** @example 4 */
      available: number;
      /** @example STORE-NYC */
      location: string;
    };
    StorefrontOrder: {
      /**
       * Format: date-time
       * @example 2026-01-05T10:00:00.000Z
       */
      createdAt: string;
      /** @description Every state the order entered, oldest first */
      history: components['schemas']['StorefrontOrderHistoryEntry'][];
      /**
       * Format: uuid
       * @example 0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11
       */
      id: string;
      lines: components['schemas']['StorefrontOrderLine'][];
      /** @example cart-7f3a */
      reference: string | null;
      /** @description Per location that ships part of the order */
      shipments: components['schemas']['StorefrontShipment'][];
      /**
       * @description The order's state: pending_validation, reserved, allocated, released (to the warehouse for picking), partially_shipped, shipped, delivered, cancelled, returned or settled
       * @example allocated
       */
      state: components['schemas']['OrderState'];
      /**
       * Format: date-time
       * @example 2026-01-05T12:30:00.000Z
       */
      updatedAt: string;
    };
    StorefrontOrderHistoryEntry: {
      /**
       * Format: date-time
       * @example 2026-01-05T10:00:02.000Z
       */
      at: string;
      /**
       * @description The state entered: pending_validation, reserved, allocated, released (to the warehouse for picking), partially_shipped, shipped, delivered, cancelled, returned or settled
       * @example allocated
       */
      state: components['schemas']['OrderState'];
    };
    StorefrontOrderLine: {
      /**
       * @description Units that will not ship
       * @example 0
       */
      cancelled: number;
      /**
       * @description Units ordered
       * @example 2
       */
      quantity: number;
      /**
       * @description Units that have left a location
       * @example 1
       */
      shipped: number;
      /** @example SKU-00001 */
      sku: string;
    };
    StorefrontReservation: {
      /**
       * Format: date-time
       * @description When an active reservation expires unless confirmed
       * @example 2026-01-05T10:15:00.000Z
       */
      expiresAt: string;
      /**
       * Format: uuid
       * @example 0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11
       */
      id: string;
      lines: components['schemas']['StorefrontReservationLineView'][];
      /** @example cart-7f3a */
      reference: string | null;
      /** @description Where the order ships to, as sent when the reservation was made; null when not given */
      shipTo: components['schemas']['StorefrontShipTo'] | null;
      /**
       * @description active (holding stock), confirmed (the order is placed), released, or expired
       * @example active
       */
      status: components['schemas']['ReservationStatus'];
    };
    StorefrontReservationLine: {
      /**
       * @description Pickup location; omit it and the platform sources from the channel's locations.
       * @example STORE-NYC
       */
      location?: string;
      /** @example 1 */
      quantity: number;
      /** @example SKU-00001 */
      sku: string;
    };
    StorefrontReservationLineView: {
      /** @example WH-EAST */
      location: string;
      /** @example 1 */
      quantity: number;
      /** @example SKU-00001 */
      sku: string;
    };
    StorefrontShipTo: {
      /** @example 40.7128 */
      latitude: number;
      /** @example -74.006 */
      longitude: number;
    };
    StorefrontShipment: {
      lines: components['schemas']['StorefrontShipmentLine'][];
      /** @example WH-EAST */
      location: string;
      /**
       * @description allocated, released, partially_shipped, shipped, cancel_requested, cancelled or short_closed (the location could not ship it all)
       * @example shipped
       */
      status: components['schemas']['ShipmentStatus'];
    };
    StorefrontShipmentLine: {
      /**
       * @description Units sent to this location to ship
       * @example 2
       */
      quantity: number;
      /**
       * @description Units this location has shipped
       * @example 1
       */
      shipped: number;
      /** @example SKU-00001 */
      sku: string;
    };
    StorefrontSkuAvailability: {
      /**
       * @description Units your channel can sell now, after its policy (buffer, holdback, cap, staleness)
       * @example 42
       */
      available: number;
      /**
       * @description false for a SKU the platform does not know; its available is 0
       * @example true
       */
      known: boolean;
      /** @description Per location, for pickup */
      locations: components['schemas']['StorefrontLocationAvailability'][];
      /** @example SKU-00001 */
      sku: string;
    };
    /** @description Problem `ttl-exceeds-maximum` (docs/problems.md) */
    TtlExceedsMaximumProblem: {
      /**
       * @description For people; may change
       * @example The hold would last past the channel's maximum of 3600 seconds from its creation.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /**
       * Format: date-time
       * @description The latest expiry the reservation can have (on extend)
       * @example 2026-01-05T11:00:00.000Z
       */
      latestExpiresAt?: string;
      /**
       * @description The channel's maximum lifetime of a reservation, from its creation
       * @example 3600
       */
      maxTtlSeconds: number;
      /** @enum {integer} */
      status: 422;
      /** @example Unprocessable Content */
      title: string;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'https://stockbridge.dev/problems/ttl-exceeds-maximum';
    };
    /** @description Problem `unauthorized` (docs/problems.md) */
    UnauthorizedProblem: {
      /**
       * @description For people; may change
       * @example The API key is unknown or revoked.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 401;
      /** @example Unauthorized */
      title: string;
      /** @enum {string} */
      type: 'https://stockbridge.dev/problems/unauthorized';
    };
    /** @description Problem `unknown-sku` (docs/problems.md) */
    UnknownSkuProblem: {
      /**
       * @description For people; may change
       * @example Unknown SKU "SKU-99999".
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /**
       * @description The SKUs the platform does not know
       * @example [
       *       "SKU-99999"
       *     ]
       */
      skus?: string[];
      /** @enum {integer} */
      status: 422;
      /** @example Unprocessable Content */
      title: string;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'https://stockbridge.dev/problems/unknown-sku';
    };
    /** @description Problem `unsupported-media-type` (docs/problems.md) */
    UnsupportedMediaTypeProblem: {
      /**
       * @description For people; may change
       * @example Send the request body as application/json.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 415;
      /** @example Unsupported Media Type */
      title: string;
      /** @enum {string} */
      type: 'https://stockbridge.dev/problems/unsupported-media-type';
    };
    /** @description Problem `upstream-error` (docs/problems.md) */
    UpstreamErrorProblem: {
      /**
       * @description For people; may change
       * @example The reservation service answered unexpectedly.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 502;
      /** @example Bad Gateway */
      title: string;
      /** @enum {string} */
      type: 'https://stockbridge.dev/problems/upstream-error';
    };
    /** @description Problem `upstream-timeout` (docs/problems.md) */
    UpstreamTimeoutProblem: {
      /**
       * @description For people; may change
       * @example The reservation service did not answer in time; retry with the same Idempotency-Key.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 504;
      /** @example Gateway Timeout */
      title: string;
      /** @enum {string} */
      type: 'https://stockbridge.dev/problems/upstream-timeout';
    };
    /** @description Problem `upstream-unavailable` (docs/problems.md) */
    UpstreamUnavailableProblem: {
      /**
       * @description For people; may change
       * @example The reservation service is unavailable; retry with the same Idempotency-Key.
       */
      detail: string;
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 503;
      /** @example Service Unavailable */
      title: string;
      /** @enum {string} */
      type: 'https://stockbridge.dev/problems/upstream-unavailable';
    };
    /** @description Problem `validation-failed` (docs/problems.md) */
    ValidationFailedProblem: {
      /**
       * @description For people; may change
       * @example lines.0.quantity must not be less than 1
       */
      detail: string;
      /**
       * @description Every broken rule, when the body broke field rules
       * @example [
       *       "lines.0.quantity must not be less than 1"
       *     ]
       */
      errors?: string[];
      /** @description Correlation id of the request, as logged by the server */
      instance?: string;
      /** @enum {integer} */
      status: 400;
      /** @example Bad Request */
      title: string;
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      type: 'https://stockbridge.dev/problems/validation-failed';
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: {
    /** @description `true` when this is the stored response of an earlier request with the same Idempotency-Key */
    'Idempotent-Replayed': 'true';
    /** @description Requests allowed in the current window (IETF RateLimit header fields draft) */
    'RateLimit-Limit': number;
    /** @description Requests left in the current window */
    'RateLimit-Remaining': number;
    /** @description Seconds until the current window ends */
    'RateLimit-Reset': number;
    /** @description Seconds to wait before retrying */
    'Retry-After': number;
    /** @description The id the request was logged under: the `X-Correlation-Id` you sent (when it is 1–128 safe characters) or a generated one */
    'X-Correlation-Id': string;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getAvailability: {
    parameters: {
      query: {
        /** @description Only this pickup location in `locations` */
        location?: string;
        /** @description The SKUs to read (1–100; repeat the parameter) */
        sku: string[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "asOf": "2026-01-05T10:00:00.000Z",
           *       "channel": "web",
           *       "items": [
           *         {
           *           "available": 8,
           *           "known": true,
           *           "locations": [
           *             {
           *               "available": 8,
           *               "location": "WH-EAST"
           *             },
           *             {
           *               "available": 0,
           *               "location": "STORE-NYC"
           *             }
           *           ],
           *           "sku": "SKU-00001"
           *         },
           *         {
           *           "available": 0,
           *           "known": false,
           *           "locations": [],
           *           "sku": "SKU-99999"
           *         }
           *       ]
           *     }
           */
          'application/json': components['schemas']['StorefrontAvailability'];
        };
      };
      /** @description No sku, more than 100, or an invalid sku or location */
      400: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ValidationFailedProblem'];
        };
      };
      /** @description No, unknown or revoked API key */
      401: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UnauthorizedProblem'];
        };
      };
      /** @description The key lacks availability:read */
      403: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ForbiddenProblem'];
        };
      };
      /** @description Too many requests: retry after `Retry-After` seconds */
      429: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "detail": "Too many requests; retry after the number of seconds in Retry-After.",
           *       "status": 429,
           *       "title": "Too Many Requests",
           *       "type": "https://stockbridge.dev/problems/rate-limited"
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblem'];
        };
      };
      /** @description The availability store is unreachable; retry after `Retry-After` seconds */
      503: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['AvailabilityUnavailableProblem'];
        };
      };
    };
  };
  getOrder: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The id of the confirmed reservation */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "createdAt": "2026-01-05T10:00:00.000Z",
           *       "history": [
           *         {
           *           "at": "2026-01-05T10:00:00.000Z",
           *           "state": "pending_validation"
           *         },
           *         {
           *           "at": "2026-01-05T10:00:02.000Z",
           *           "state": "allocated"
           *         },
           *         {
           *           "at": "2026-01-05T12:30:00.000Z",
           *           "state": "partially_shipped"
           *         }
           *       ],
           *       "id": "0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11",
           *       "lines": [
           *         {
           *           "cancelled": 0,
           *           "quantity": 2,
           *           "shipped": 1,
           *           "sku": "SKU-00001"
           *         }
           *       ],
           *       "reference": "cart-7f3a",
           *       "shipments": [
           *         {
           *           "lines": [
           *             {
           *               "quantity": 2,
           *               "shipped": 1,
           *               "sku": "SKU-00001"
           *             }
           *           ],
           *           "location": "WH-EAST",
           *           "status": "partially_shipped"
           *         }
           *       ],
           *       "state": "partially_shipped",
           *       "updatedAt": "2026-01-05T12:30:00.000Z"
           *     }
           */
          'application/json': components['schemas']['StorefrontOrder'];
        };
      };
      /** @description The id is not a UUID */
      400: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ValidationFailedProblem'];
        };
      };
      /** @description No, unknown or revoked API key */
      401: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UnauthorizedProblem'];
        };
      };
      /** @description The key lacks reservations:write */
      403: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ForbiddenProblem'];
        };
      };
      /** @description No such order in your channel (yet: retry shortly after confirming) */
      404: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['OrderNotFoundProblem'];
        };
      };
      /** @description Too many requests: retry after `Retry-After` seconds */
      429: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "detail": "Too many requests; retry after the number of seconds in Retry-After.",
           *       "status": 429,
           *       "title": "Too Many Requests",
           *       "type": "https://stockbridge.dev/problems/rate-limited"
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblem'];
        };
      };
      /** @description The order service answered unexpectedly; retry shortly */
      502: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamErrorProblem'];
        };
      };
      /** @description The order service is temporarily unavailable; retry after `Retry-After` seconds */
      503: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamUnavailableProblem'];
        };
      };
      /** @description The order service did not answer in time; retry shortly */
      504: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamTimeoutProblem'];
        };
      };
    };
  };
  createReservation: {
    parameters: {
      query?: never;
      header: {
        /** @description Unique per checkout attempt; 1–255 visible ASCII characters (a UUID is ideal) */
        'Idempotency-Key': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateStorefrontReservation'];
      };
    };
    responses: {
      /** @description Held */
      201: {
        headers: {
          'Idempotent-Replayed': components['headers']['Idempotent-Replayed'];
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "expiresAt": "2026-01-05T10:15:00.000Z",
           *       "id": "0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11",
           *       "lines": [
           *         {
           *           "location": "WH-EAST",
           *           "quantity": 2,
           *           "sku": "SKU-00001"
           *         },
           *         {
           *           "location": "STORE-NYC",
           *           "quantity": 1,
           *           "sku": "SKU-00002"
           *         }
           *       ],
           *       "reference": "cart-7f3a",
           *       "shipTo": {
           *         "latitude": 40.7128,
           *         "longitude": -74.006
           *       },
           *       "status": "active"
           *     }
           */
          'application/json': components['schemas']['StorefrontReservation'];
        };
      };
      /** @description Invalid body, or missing or invalid Idempotency-Key */
      400: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json':
            | components['schemas']['ValidationFailedProblem']
            | components['schemas']['MalformedJsonProblem']
            | components['schemas']['IdempotencyKeyRequiredProblem']
            | components['schemas']['InvalidIdempotencyKeyProblem'];
        };
      };
      /** @description No, unknown or revoked API key */
      401: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UnauthorizedProblem'];
        };
      };
      /** @description The key lacks reservations:write */
      403: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ForbiddenProblem'];
        };
      };
      /** @description `insufficient-stock` (nothing held; `shortages` lists each short SKU), `hold-limit-exceeded` (your units held in the channel would pass its limit; since 1.2) or `idempotency-key-in-flight` (a request with this key is still running: retry shortly) */
      409: {
        headers: {
          'Idempotent-Replayed': components['headers']['Idempotent-Replayed'];
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json':
            | components['schemas']['InsufficientStockProblem']
            | components['schemas']['HoldLimitExceededProblem']
            | components['schemas']['IdempotencyKeyInFlightProblem'];
        };
      };
      /** @description Body over 1 MB */
      413: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['BodyTooLargeProblem'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UnsupportedMediaTypeProblem'];
        };
      };
      /** @description Unknown SKU, location outside your channel, Idempotency-Key reused with a different body, or `ttlSeconds` beyond the channel's maximum (`ttl-exceeds-maximum`, since 1.2) */
      422: {
        headers: {
          'Idempotent-Replayed': components['headers']['Idempotent-Replayed'];
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json':
            | components['schemas']['UnknownSkuProblem']
            | components['schemas']['LocationNotInChannelProblem']
            | components['schemas']['IdempotencyKeyReusedProblem']
            | components['schemas']['TtlExceedsMaximumProblem'];
        };
      };
      /** @description Too many requests: retry after `Retry-After` seconds */
      429: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "detail": "Too many requests; retry after the number of seconds in Retry-After.",
           *       "status": 429,
           *       "title": "Too Many Requests",
           *       "type": "https://stockbridge.dev/problems/rate-limited"
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblem'];
        };
      };
      /** @description The reservation service answered unexpectedly; retry */
      502: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamErrorProblem'];
        };
      };
      /** @description The reservation service is unavailable; retry after `Retry-After` seconds */
      503: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamUnavailableProblem'];
        };
      };
      /** @description The reservation service did not answer in time; retry */
      504: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamTimeoutProblem'];
        };
      };
    };
  };
  getReservation: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The reservation id */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "expiresAt": "2026-01-05T10:15:00.000Z",
           *       "id": "0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11",
           *       "lines": [
           *         {
           *           "location": "WH-EAST",
           *           "quantity": 2,
           *           "sku": "SKU-00001"
           *         },
           *         {
           *           "location": "STORE-NYC",
           *           "quantity": 1,
           *           "sku": "SKU-00002"
           *         }
           *       ],
           *       "reference": "cart-7f3a",
           *       "shipTo": {
           *         "latitude": 40.7128,
           *         "longitude": -74.006
           *       },
           *       "status": "active"
           *     }
           */
          'application/json': components['schemas']['StorefrontReservation'];
        };
      };
      /** @description No, unknown or revoked API key */
      401: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UnauthorizedProblem'];
        };
      };
      /** @description The key lacks reservations:write */
      403: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ForbiddenProblem'];
        };
      };
      /** @description No such reservation in your channel */
      404: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ReservationNotFoundProblem'];
        };
      };
      /** @description Too many requests: retry after `Retry-After` seconds */
      429: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "detail": "Too many requests; retry after the number of seconds in Retry-After.",
           *       "status": 429,
           *       "title": "Too Many Requests",
           *       "type": "https://stockbridge.dev/problems/rate-limited"
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblem'];
        };
      };
      /** @description The reservation service answered unexpectedly; retry */
      502: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamErrorProblem'];
        };
      };
      /** @description The reservation service is unavailable; retry after `Retry-After` seconds */
      503: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamUnavailableProblem'];
        };
      };
      /** @description The reservation service did not answer in time; retry */
      504: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamTimeoutProblem'];
        };
      };
    };
  };
  confirmReservation: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The reservation id */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "expiresAt": "2026-01-05T10:15:00.000Z",
           *       "id": "0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11",
           *       "lines": [
           *         {
           *           "location": "WH-EAST",
           *           "quantity": 2,
           *           "sku": "SKU-00001"
           *         },
           *         {
           *           "location": "STORE-NYC",
           *           "quantity": 1,
           *           "sku": "SKU-00002"
           *         }
           *       ],
           *       "reference": "cart-7f3a",
           *       "shipTo": {
           *         "latitude": 40.7128,
           *         "longitude": -74.006
           *       },
           *       "status": "confirmed"
           *     }
           */
          'application/json': components['schemas']['StorefrontReservation'];
        };
      };
      /** @description No, unknown or revoked API key */
      401: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UnauthorizedProblem'];
        };
      };
      /** @description The key lacks reservations:write */
      403: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ForbiddenProblem'];
        };
      };
      /** @description No such reservation in your channel */
      404: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ReservationNotFoundProblem'];
        };
      };
      /** @description Released or expired: it can no longer be confirmed */
      409: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ReservationNotActiveProblem'];
        };
      };
      /** @description Too many requests: retry after `Retry-After` seconds */
      429: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "detail": "Too many requests; retry after the number of seconds in Retry-After.",
           *       "status": 429,
           *       "title": "Too Many Requests",
           *       "type": "https://stockbridge.dev/problems/rate-limited"
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblem'];
        };
      };
      /** @description The reservation service answered unexpectedly; retry */
      502: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamErrorProblem'];
        };
      };
      /** @description The reservation service is unavailable; retry after `Retry-After` seconds */
      503: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamUnavailableProblem'];
        };
      };
      /** @description The reservation service did not answer in time; retry */
      504: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamTimeoutProblem'];
        };
      };
    };
  };
  extendReservation: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The reservation id */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ExtendStorefrontReservation'];
      };
    };
    responses: {
      200: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "expiresAt": "2026-01-05T10:15:00.000Z",
           *       "id": "0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11",
           *       "lines": [
           *         {
           *           "location": "WH-EAST",
           *           "quantity": 2,
           *           "sku": "SKU-00001"
           *         },
           *         {
           *           "location": "STORE-NYC",
           *           "quantity": 1,
           *           "sku": "SKU-00002"
           *         }
           *       ],
           *       "reference": "cart-7f3a",
           *       "shipTo": {
           *         "latitude": 40.7128,
           *         "longitude": -74.006
           *       },
           *       "status": "active"
           *     }
           */
          'application/json': components['schemas']['StorefrontReservation'];
        };
      };
      /** @description Invalid body */
      400: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json':
            components['schemas']['ValidationFailedProblem'] | components['schemas']['MalformedJsonProblem'];
        };
      };
      /** @description No, unknown or revoked API key */
      401: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UnauthorizedProblem'];
        };
      };
      /** @description The key lacks reservations:write */
      403: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ForbiddenProblem'];
        };
      };
      /** @description No such reservation in your channel */
      404: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ReservationNotFoundProblem'];
        };
      };
      /** @description Confirmed, released or expired: it can no longer be extended */
      409: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ReservationNotActiveProblem'];
        };
      };
      /** @description Body over 1 MB */
      413: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['BodyTooLargeProblem'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UnsupportedMediaTypeProblem'];
        };
      };
      /** @description The expiry would pass the channel's maximum lifetime of a reservation */
      422: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['TtlExceedsMaximumProblem'];
        };
      };
      /** @description Too many requests: retry after `Retry-After` seconds */
      429: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "detail": "Too many requests; retry after the number of seconds in Retry-After.",
           *       "status": 429,
           *       "title": "Too Many Requests",
           *       "type": "https://stockbridge.dev/problems/rate-limited"
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblem'];
        };
      };
      /** @description The reservation service answered unexpectedly; retry */
      502: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamErrorProblem'];
        };
      };
      /** @description The reservation service is unavailable; retry after `Retry-After` seconds */
      503: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamUnavailableProblem'];
        };
      };
      /** @description The reservation service did not answer in time; retry */
      504: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamTimeoutProblem'];
        };
      };
    };
  };
  changeReservationLines: {
    parameters: {
      query?: never;
      header: {
        /** @description Unique per change; 1–255 visible ASCII characters (a UUID is ideal) */
        'Idempotency-Key': string;
      };
      path: {
        /** @description The reservation id */
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ChangeStorefrontReservationLines'];
      };
    };
    responses: {
      /** @description The reservation with its new lines */
      200: {
        headers: {
          'Idempotent-Replayed': components['headers']['Idempotent-Replayed'];
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "expiresAt": "2026-01-05T10:15:00.000Z",
           *       "id": "0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11",
           *       "lines": [
           *         {
           *           "location": "WH-EAST",
           *           "quantity": 2,
           *           "sku": "SKU-00001"
           *         },
           *         {
           *           "location": "STORE-NYC",
           *           "quantity": 1,
           *           "sku": "SKU-00002"
           *         }
           *       ],
           *       "reference": "cart-7f3a",
           *       "shipTo": {
           *         "latitude": 40.7128,
           *         "longitude": -74.006
           *       },
           *       "status": "active"
           *     }
           */
          'application/json': components['schemas']['StorefrontReservation'];
        };
      };
      /** @description Invalid body, or missing or invalid Idempotency-Key */
      400: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json':
            | components['schemas']['ValidationFailedProblem']
            | components['schemas']['MalformedJsonProblem']
            | components['schemas']['IdempotencyKeyRequiredProblem']
            | components['schemas']['InvalidIdempotencyKeyProblem'];
        };
      };
      /** @description No, unknown or revoked API key */
      401: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UnauthorizedProblem'];
        };
      };
      /** @description The key lacks reservations:write */
      403: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ForbiddenProblem'];
        };
      };
      /** @description No such reservation in your channel */
      404: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ReservationNotFoundProblem'];
        };
      };
      /** @description `insufficient-stock` or `hold-limit-exceeded` (nothing changed), `reservation-not-active`, or `idempotency-key-in-flight` (retry shortly) */
      409: {
        headers: {
          'Idempotent-Replayed': components['headers']['Idempotent-Replayed'];
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json':
            | components['schemas']['InsufficientStockProblem']
            | components['schemas']['HoldLimitExceededProblem']
            | components['schemas']['ReservationNotActiveProblem']
            | components['schemas']['IdempotencyKeyInFlightProblem'];
        };
      };
      /** @description Body over 1 MB */
      413: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['BodyTooLargeProblem'];
        };
      };
      /** @description Body is not application/json */
      415: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UnsupportedMediaTypeProblem'];
        };
      };
      /** @description Unknown SKU, location outside your channel, or Idempotency-Key reused with a different body */
      422: {
        headers: {
          'Idempotent-Replayed': components['headers']['Idempotent-Replayed'];
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json':
            | components['schemas']['UnknownSkuProblem']
            | components['schemas']['LocationNotInChannelProblem']
            | components['schemas']['IdempotencyKeyReusedProblem'];
        };
      };
      /** @description Too many requests: retry after `Retry-After` seconds */
      429: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "detail": "Too many requests; retry after the number of seconds in Retry-After.",
           *       "status": 429,
           *       "title": "Too Many Requests",
           *       "type": "https://stockbridge.dev/problems/rate-limited"
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblem'];
        };
      };
      /** @description The reservation service answered unexpectedly; retry */
      502: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamErrorProblem'];
        };
      };
      /** @description The reservation service is unavailable; retry after `Retry-After` seconds */
      503: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamUnavailableProblem'];
        };
      };
      /** @description The reservation service did not answer in time; retry */
      504: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamTimeoutProblem'];
        };
      };
    };
  };
  releaseReservation: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The reservation id */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "expiresAt": "2026-01-05T10:15:00.000Z",
           *       "id": "0b7d6c1e-5c8a-4a39-9d55-2f7f3f0c1a11",
           *       "lines": [
           *         {
           *           "location": "WH-EAST",
           *           "quantity": 2,
           *           "sku": "SKU-00001"
           *         },
           *         {
           *           "location": "STORE-NYC",
           *           "quantity": 1,
           *           "sku": "SKU-00002"
           *         }
           *       ],
           *       "reference": "cart-7f3a",
           *       "shipTo": {
           *         "latitude": 40.7128,
           *         "longitude": -74.006
           *       },
           *       "status": "released"
           *     }
           */
          'application/json': components['schemas']['StorefrontReservation'];
        };
      };
      /** @description No, unknown or revoked API key */
      401: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UnauthorizedProblem'];
        };
      };
      /** @description The key lacks reservations:write */
      403: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ForbiddenProblem'];
        };
      };
      /** @description No such reservation in your channel */
      404: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ReservationNotFoundProblem'];
        };
      };
      /** @description Confirmed or expired: it can no longer be released */
      409: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ReservationNotActiveProblem'];
        };
      };
      /** @description Too many requests: retry after `Retry-After` seconds */
      429: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "detail": "Too many requests; retry after the number of seconds in Retry-After.",
           *       "status": 429,
           *       "title": "Too Many Requests",
           *       "type": "https://stockbridge.dev/problems/rate-limited"
           *     }
           */
          'application/problem+json': components['schemas']['RateLimitedProblem'];
        };
      };
      /** @description The reservation service answered unexpectedly; retry */
      502: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamErrorProblem'];
        };
      };
      /** @description The reservation service is unavailable; retry after `Retry-After` seconds */
      503: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamUnavailableProblem'];
        };
      };
      /** @description The reservation service did not answer in time; retry */
      504: {
        headers: {
          'RateLimit-Limit': components['headers']['RateLimit-Limit'];
          'RateLimit-Remaining': components['headers']['RateLimit-Remaining'];
          'RateLimit-Reset': components['headers']['RateLimit-Reset'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['UpstreamTimeoutProblem'];
        };
      };
    };
  };
}
