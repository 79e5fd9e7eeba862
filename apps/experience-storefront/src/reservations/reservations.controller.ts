import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Req,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems, IdempotencyKey, type Problem } from '@stockbridge/app-platform';
import type { FastifyReply } from 'fastify';
import {
  ApiKeyGuard,
  type AuthenticatedRequest,
  RequiresScope,
  RetryAfterInterceptor,
} from '@stockbridge/channel-api';
import { ProcessReservationsClient } from '../process-client/process-reservations.client';
import {
  BODY_PROBLEMS,
  failed,
  IDEMPOTENCY_KEY_HEADER,
  insufficientStock,
  isInsufficientStock,
  KEY_PROBLEMS,
  KEYED_BODY_INVALID,
  NOT_FOUND,
  ReservationIdParam,
  type ProcessReservation,
  REPLAYED,
  RESERVATION_ID,
  toStorefront,
  UPSTREAM_PROBLEMS,
} from './reservation-relay';
import {
  ChangeStorefrontReservationLines,
  CreateStorefrontReservation,
  ExtendStorefrontReservation,
  RESERVATION_EXAMPLE,
  StorefrontReservation,
} from './reservation.dto';

@ApiTags('reservations')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@UseInterceptors(RetryAfterInterceptor)
@Controller('v1/reservations')
export class ReservationsController {
  constructor(private readonly process: ProcessReservationsClient) {}

  @Post()
  @RequiresScope('reservations:write')
  @ApiOperation({
    operationId: 'createReservation',
    summary: 'Hold stock for a checkout: every line or none',
    description:
      "Lines without a location are sourced from your channel's locations (one location for the whole order when possible). " +
      'With the optional `shipTo`, order allocation prefers the location nearest to it. ' +
      '`Idempotency-Key` is required: repeating a request with the same key and body replays the first response ' +
      '(status and body, with `Idempotent-Replayed: true`); the same key with another body is 422; while the first ' +
      'request is still running a repeat gets 409. Keys are kept for 24 hours, then count as new. A request refused ' +
      'by validation (400) is not stored, so a corrected request may reuse its key.',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER('Unique per checkout attempt'))
  @ApiBody({
    type: CreateStorefrontReservation,
    examples: {
      delivery: {
        summary: 'Sourced by the platform, shipping to a known address',
        value: {
          lines: [{ sku: 'SKU-00001', quantity: 2 }],
          ttlSeconds: 900,
          reference: 'cart-7f3a',
          shipTo: { latitude: 40.7128, longitude: -74.006 },
        },
      },
      pickup: {
        summary: 'Picked up at a store',
        value: { lines: [{ sku: 'SKU-00002', quantity: 1, location: 'STORE-NYC' }], reference: 'cart-8e1b' },
      },
    },
  })
  @ApiResponse({
    status: 201,
    type: StorefrontReservation,
    description: 'Held',
    example: RESERVATION_EXAMPLE,
    headers: REPLAYED,
  })
  @ApiProblems(
    KEYED_BODY_INVALID,
    ...KEY_PROBLEMS,
    [
      409,
      '`insufficient-stock` (nothing held; `shortages` lists each short SKU), `hold-limit-exceeded` (your units ' +
        'held in the channel would pass its limit; since 1.2) or `idempotency-key-in-flight` (a request with this key ' +
        'is still running: retry shortly)',
      ['insufficient-stock', 'hold-limit-exceeded', 'idempotency-key-in-flight'],
      REPLAYED,
    ],
    ...BODY_PROBLEMS,
    [
      422,
      'Unknown SKU, location outside your channel, Idempotency-Key reused with a different body, or `ttlSeconds` ' +
        "beyond the channel's maximum (`ttl-exceeds-maximum`, since 1.2)",
      ['unknown-sku', 'location-not-in-channel', 'idempotency-key-reused', 'ttl-exceeds-maximum'],
      REPLAYED,
    ],
    ...UPSTREAM_PROBLEMS,
  )
  async createReservation(
    @Req() request: AuthenticatedRequest,
    @IdempotencyKey({
      requiredBecause:
        'Send an Idempotency-Key header (e.g. a UUID) so that a retried checkout never holds stock twice.',
    })
    key: string,
    @Body() input: CreateStorefrontReservation,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const client = request.client;
    const res = await this.process.call<ProcessReservation | Problem>(
      'POST',
      `/v1/channels/${client.channel}/reservations`,
      {
        correlationId: request.id,
        headers: { 'idempotency-key': key, 'x-idempotency-principal': `client:${client.id}` },
        body: {
          lines: input.lines.map((l) => ({
            sku: l.sku,
            quantity: l.quantity,
            ...(l.location !== undefined ? { location: l.location } : {}),
          })),
          ...(input.ttlSeconds !== undefined ? { ttlSeconds: input.ttlSeconds } : {}),
          ...(input.reference !== undefined ? { reference: input.reference } : {}),
          ...(input.shipTo
            ? { shipTo: { latitude: input.shipTo.latitude, longitude: input.shipTo.longitude } }
            : {}),
        },
      },
    );
    if (res.replayed) void reply.header('idempotent-replayed', 'true');
    if (res.status === 201) {
      await reply.status(201).send(toStorefront(res.body as ProcessReservation));
      return;
    }
    const p = res.body as Problem;
    if (isInsufficientStock(res.status, p)) throw insufficientStock(p);
    failed(res.status, p);
  }

  @Get(':id')
  @RequiresScope('reservations:write')
  @ApiOperation({
    operationId: 'getReservation',
    summary: "One of your channel's reservations",
    description: 'Another channel’s reservation is 404, like one that does not exist.',
  })
  @ApiParam(RESERVATION_ID)
  @ApiResponse({ status: 200, type: StorefrontReservation, example: RESERVATION_EXAMPLE })
  @ApiProblems(...KEY_PROBLEMS, NOT_FOUND, ...UPSTREAM_PROBLEMS)
  async getReservation(
    @Req() request: AuthenticatedRequest,
    @Param('id', ReservationIdParam) id: string,
  ): Promise<StorefrontReservation> {
    return this.forward(request, 'GET', id, '');
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @RequiresScope('reservations:write')
  @ApiOperation({
    operationId: 'confirmReservation',
    summary: 'active → confirmed: the order is placed; repeating it is harmless',
    description:
      'Places the order (allocation follows; read it with getOrder). Confirming a confirmed reservation answers 200 ' +
      'again; a released or expired one is 409 `reservation-not-active`.',
  })
  @ApiParam(RESERVATION_ID)
  @ApiResponse({
    status: 200,
    type: StorefrontReservation,
    example: { ...RESERVATION_EXAMPLE, status: 'confirmed' },
  })
  @ApiProblems(
    ...KEY_PROBLEMS,
    NOT_FOUND,
    [409, 'Released or expired: it can no longer be confirmed', ['reservation-not-active']],
    ...UPSTREAM_PROBLEMS,
  )
  async confirmReservation(
    @Req() request: AuthenticatedRequest,
    @Param('id', ReservationIdParam) id: string,
  ): Promise<StorefrontReservation> {
    return this.forward(request, 'POST', id, '/confirm');
  }

  @Post(':id/release')
  @HttpCode(200)
  @RequiresScope('reservations:write')
  @ApiOperation({
    operationId: 'releaseReservation',
    summary: 'active → released: the stock returns at once; repeating it is harmless',
    description:
      'Gives the held stock back to your channel at once. Releasing a released reservation answers 200 again; a ' +
      'confirmed or expired one is 409 `reservation-not-active`.',
  })
  @ApiParam(RESERVATION_ID)
  @ApiResponse({
    status: 200,
    type: StorefrontReservation,
    example: { ...RESERVATION_EXAMPLE, status: 'released' },
  })
  @ApiProblems(
    ...KEY_PROBLEMS,
    NOT_FOUND,
    [409, 'Confirmed or expired: it can no longer be released', ['reservation-not-active']],
    ...UPSTREAM_PROBLEMS,
  )
  async releaseReservation(
    @Req() request: AuthenticatedRequest,
    @Param('id', ReservationIdParam) id: string,
  ): Promise<StorefrontReservation> {
    return this.forward(request, 'POST', id, '/release');
  }

  @Post(':id/extend')
  @HttpCode(200)
  @RequiresScope('reservations:write')
  @ApiOperation({
    operationId: 'extendReservation',
    summary: 'Give an active reservation more time, up to your channel’s maximum (since 1.2)',
    description:
      'For a checkout that waits on a payment: `expiresAt` becomes the later of its current value and now + ' +
      "`ttlSeconds`. A reservation never lives past its creation + the channel's maximum lifetime " +
      '(`ttl-exceeds-maximum`, with `maxTtlSeconds` and `latestExpiresAt`: extend to that at most). ' +
      'Stock does not move; repeating an extension is harmless. A confirmed, released or expired reservation is ' +
      '409 `reservation-not-active`.',
  })
  @ApiParam(RESERVATION_ID)
  @ApiBody({
    type: ExtendStorefrontReservation,
    examples: { tenMinutes: { summary: 'At least ten more minutes', value: { ttlSeconds: 600 } } },
  })
  @ApiResponse({ status: 200, type: StorefrontReservation, example: RESERVATION_EXAMPLE })
  @ApiProblems(
    [400, 'Invalid body', ['validation-failed', 'malformed-json']],
    ...KEY_PROBLEMS,
    NOT_FOUND,
    [409, 'Confirmed, released or expired: it can no longer be extended', ['reservation-not-active']],
    ...BODY_PROBLEMS,
    [422, "The expiry would pass the channel's maximum lifetime of a reservation", ['ttl-exceeds-maximum']],
    ...UPSTREAM_PROBLEMS,
  )
  async extendReservation(
    @Req() request: AuthenticatedRequest,
    @Param('id', ReservationIdParam) id: string,
    @Body() input: ExtendStorefrontReservation,
  ): Promise<StorefrontReservation> {
    return this.forward(request, 'POST', id, '/extend', { ttlSeconds: input.ttlSeconds });
  }

  @Put(':id/lines')
  @RequiresScope('reservations:write')
  @ApiOperation({
    operationId: 'changeReservationLines',
    summary: "Replace an active reservation's lines, all or nothing (since 1.2)",
    description:
      'For a cart that changed: the lines you send replace every line of the reservation, with the rules of ' +
      'creation (without a location a line is sourced from your channel). Per SKU and location the difference is ' +
      'held or given back in one step: on `insufficient-stock` (or `hold-limit-exceeded`) nothing changes and the ' +
      'reservation keeps its lines. `expiresAt` stays. `Idempotency-Key` is required, as on creation: the same key ' +
      'and body replay the first response (with `Idempotent-Replayed: true`), another body is 422, a repeat while ' +
      'the first is running 409.',
  })
  @ApiParam(RESERVATION_ID)
  @ApiHeader(IDEMPOTENCY_KEY_HEADER('Unique per change'))
  @ApiBody({
    type: ChangeStorefrontReservationLines,
    examples: {
      moreOfOne: {
        summary: 'Three of one SKU instead of two, and no longer the other',
        value: { lines: [{ sku: 'SKU-00001', quantity: 3 }] },
      },
    },
  })
  @ApiResponse({
    status: 200,
    type: StorefrontReservation,
    description: 'The reservation with its new lines',
    example: RESERVATION_EXAMPLE,
    headers: REPLAYED,
  })
  @ApiProblems(
    KEYED_BODY_INVALID,
    ...KEY_PROBLEMS,
    NOT_FOUND,
    [
      409,
      '`insufficient-stock` or `hold-limit-exceeded` (nothing changed), `reservation-not-active`, or ' +
        '`idempotency-key-in-flight` (retry shortly)',
      ['insufficient-stock', 'hold-limit-exceeded', 'reservation-not-active', 'idempotency-key-in-flight'],
      REPLAYED,
    ],
    ...BODY_PROBLEMS,
    [
      422,
      'Unknown SKU, location outside your channel, or Idempotency-Key reused with a different body',
      ['unknown-sku', 'location-not-in-channel', 'idempotency-key-reused'],
      REPLAYED,
    ],
    ...UPSTREAM_PROBLEMS,
  )
  async changeReservationLines(
    @Req() request: AuthenticatedRequest,
    @Param('id', ReservationIdParam) id: string,
    @IdempotencyKey({
      requiredBecause:
        'Send an Idempotency-Key header (e.g. a UUID) so that a retried change is applied once.',
    })
    key: string,
    @Body() input: ChangeStorefrontReservationLines,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const client = request.client;
    const res = await this.process.call<ProcessReservation | Problem>(
      'PUT',
      `/v1/channels/${client.channel}/reservations/${id}/lines`,
      {
        correlationId: request.id,
        headers: { 'idempotency-key': key, 'x-idempotency-principal': `client:${client.id}` },
        body: {
          lines: input.lines.map((l) => ({
            sku: l.sku,
            quantity: l.quantity,
            ...(l.location !== undefined ? { location: l.location } : {}),
          })),
        },
      },
    );
    if (res.replayed) void reply.header('idempotent-replayed', 'true');
    if (res.status === 200) {
      await reply.status(200).send(toStorefront(res.body as ProcessReservation));
      return;
    }
    const p = res.body as Problem;
    if (isInsufficientStock(res.status, p)) throw insufficientStock(p);
    failed(res.status, p);
  }

  private async forward(
    request: AuthenticatedRequest,
    method: 'GET' | 'POST',
    id: string,
    action: string,
    body?: unknown,
  ): Promise<StorefrontReservation> {
    const res = await this.process.call<ProcessReservation | Problem>(
      method,
      `/v1/channels/${request.client.channel}/reservations/${id}${action}`,
      { correlationId: request.id, ...(body !== undefined ? { body } : {}) },
    );
    if (res.status === 200) return toStorefront(res.body as ProcessReservation);
    return failed(res.status, res.body as Problem);
  }
}
