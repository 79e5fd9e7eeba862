import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { isUuid } from '@stockbridge/canonical';
import {
  ApiProblems,
  IdempotencyKey,
  InsufficientStockProblemView,
  PathCodePipe,
  PROBLEM_CONTENT_TYPE,
  ProblemError,
  ProblemView,
  ServiceTokenGuard,
} from '@stockbridge/app-platform';
import { type ChangeLinesOutcome, type ReserveOutcome, Reservations } from '@stockbridge/ledger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Req } from '@nestjs/common';
import { AvailabilityPublisher } from '../availability/availability-publisher.service';
import { shortageProblem } from '../infra/ledger-problem.mapper';

import { ProcessReservationsConfig } from '../process-reservations.config';
import { ReservationMetrics } from './reservation-metrics';
import {
  ChangeReservationLinesInput,
  CreateReservationInput,
  ExtendReservationInput,
  ReservationView,
} from './reservation.dto';

/** The channel in the path: a code that cannot be a channel's is no channel (404), like an unknown one. */
const ChannelParam = new PathCodePipe(
  (v) => /^[a-z0-9-]{1,32}$/.test(v),
  (v) => ProblemError.of(404, 'unknown-channel', `Channel "${v}" does not exist.`),
);

/** The reservation id in the path: an id that is not a UUID is no reservation (404). */
const ReservationIdParam = new PathCodePipe(
  isUuid,
  (v) => ProblemError.of(404, 'reservation-not-found', `Reservation "${v}" does not exist.`),
  (v) => v.toLowerCase(),
);

/**
 * A hold's outcome as the answer: the reservation with `status` (201 created, 200 changed), or a `short`
 * outcome as its problem (409 `insufficient-stock`, through the problem filter), replayable: without the
 * per-request `instance`, so that a replayed outcome answers byte for byte what the first request did.
 */
async function sendOutcome(
  reply: FastifyReply,
  outcome: ReserveOutcome | ChangeLinesOutcome,
  status: 200 | 201,
): Promise<void> {
  if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
  if (outcome.kind === 'short') throw ProblemError.replayable(shortageProblem(outcome.shortages));
  await reply.status(status).send(outcome.reservation);
}

@ApiTags('reservations')
@ApiBearerAuth()
@ApiExtraModels(ProblemView, InsufficientStockProblemView)
@UseGuards(ServiceTokenGuard)
@Controller('v1/channels/:channel/reservations')
export class ReservationsController {
  constructor(
    private readonly reservations: Reservations,
    private readonly publisher: AvailabilityPublisher,
    private readonly config: ProcessReservationsConfig,
    private readonly metrics: ReservationMetrics,
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'createReservation',
    summary: 'Hold stock for a checkout: all lines or none',
    description:
      'Lines without a location are sourced from the channel pool, preferring one location that can serve every line. ' +
      'With `Idempotency-Key` (scoped by `X-Idempotency-Principal`), a repeat with the same body replays the first ' +
      'response, a different body is 422 and a repeat while the first is in flight is 409. Records are kept ' +
      "IDEMPOTENCY_RETENTION_HOURS (default 24 h). `ttlSeconds` may not exceed the channel's maxTtlSeconds " +
      '(422 `ttl-exceeds-maximum`); without it the reservation lasts min(DEFAULT_TTL_SECONDS, maxTtlSeconds). ' +
      "The X-Idempotency-Principal is stored as the holder: with the channel's maxHeldUnitsPerClient set, a " +
      'hold taking the holder past it is 409 `hold-limit-exceeded`, nothing held.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '1–255 visible ASCII characters' })
  @ApiHeader({
    name: 'X-Idempotency-Principal',
    required: false,
    description:
      'Whose key space Idempotency-Key belongs to (the calling client, `client:<api client id>`); also the ' +
      "reservation's holder, whom the channel's maxHeldUnitsPerClient limits",
  })
  @ApiResponse({ status: 201, type: ReservationView, description: 'Held' })
  @ApiResponse({
    status: 409,
    description:
      "Not enough stock (`insufficient-stock`, nothing held), the client's hold limit (`hold-limit-exceeded`, " +
      'nothing held) or a twin request is in flight',
    content: {
      [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/InsufficientStockProblemView' } },
    },
  })
  @ApiProblems(400, 401, 404, [
    422,
    'Unknown SKU, location outside the pool, Idempotency-Key reused with another body, or ttlSeconds beyond ' +
      "the channel's maximum (`ttl-exceeds-maximum`)",
  ])
  async createReservation(
    @Param('channel', ChannelParam) channel: string,
    @Body() input: CreateReservationInput,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Headers('x-idempotency-principal') principal: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.reservations.reserve({
      channel,
      lines: input.lines.map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        ...(l.location ? { location: l.location } : {}),
      })),
      ttlSeconds: input.ttlSeconds ?? this.config.DEFAULT_TTL_SECONDS,
      ttlIsDefault: input.ttlSeconds === undefined,
      reference: input.reference ?? null,
      shipTo: input.shipTo ? { latitude: input.shipTo.latitude, longitude: input.shipTo.longitude } : null,
      correlationId: request.id,
      holder: principal ?? null,
      idempotency: idempotencyKey
        ? {
            principal: principal ?? 'internal',
            key: idempotencyKey,
            retentionHours: this.config.IDEMPOTENCY_RETENTION_HOURS,
          }
        : undefined,
    });
    this.publisher.markDirty(outcome.changedSkus);
    this.metrics.outcome(channel, outcome.kind === 'held' ? 'accepted' : 'rejected', outcome.replayed);
    await sendOutcome(reply, outcome, 201);
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getReservation',
    summary: 'A reservation of this channel',
    description:
      'The reservation with its lines (SKU, location, quantity), status, reference, ship-to and expiry. The ' +
      'channel is part of its identity: a reservation of another channel, or an id that is not a UUID, is 404 ' +
      '`reservation-not-found`. The status is the stored one: a reservation past `expiresAt` reads `active` ' +
      'until the expiry sweeper ends it (confirm and extend already refuse it as expired).',
  })
  @ApiResponse({ status: 200, type: ReservationView })
  @ApiProblems(401, [404, 'No such reservation in this channel'])
  async getReservation(
    @Param('channel', ChannelParam) channel: string,
    @Param('id', ReservationIdParam) id: string,
  ): Promise<ReservationView> {
    return this.reservations.get(id, channel);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'confirmReservation',
    summary: 'active → confirmed (the order is placed); idempotent',
    description:
      'Called when the order is placed: the status becomes `confirmed` and the `reservation.confirmed` event ' +
      '(lines, reference, ship-to) is written to the outbox in the same transaction, for the OMS and the ERP. ' +
      'No stock moves: the units stay reserved. Confirming a confirmed reservation answers 200 with it and ' +
      'writes no second event. A released or expired reservation, including one past its `expiresAt` that the ' +
      'sweeper has not ended yet, is 409 `reservation-not-active` with `reservationStatus`.',
  })
  @ApiResponse({ status: 200, type: ReservationView })
  @ApiProblems(
    401,
    [404, 'No such reservation in this channel'],
    [409, 'The reservation is released or expired'],
  )
  async confirmReservation(
    @Param('channel', ChannelParam) channel: string,
    @Param('id', ReservationIdParam) id: string,
    @Req() request: FastifyRequest,
  ): Promise<ReservationView> {
    const out = await this.reservations.confirm(id, channel, request.id);
    return out.reservation;
  }

  @Post(':id/release')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'releaseReservation',
    summary: 'active → released; the stock returns at once; idempotent',
    description:
      'Ends the hold (an abandoned or failed checkout): the status becomes `released` and every line returns ' +
      'its units from reserved in the same transaction, so the channel can sell them again at once (the SKUs ' +
      'are republished to the availability read model). Releasing a released reservation answers 200 with it ' +
      'and changes nothing. A confirmed or expired reservation is 409 `reservation-not-active` with ' +
      '`reservationStatus`.',
  })
  @ApiResponse({ status: 200, type: ReservationView })
  @ApiProblems(
    401,
    [404, 'No such reservation in this channel'],
    [409, 'The reservation is confirmed or expired'],
  )
  async releaseReservation(
    @Param('channel', ChannelParam) channel: string,
    @Param('id', ReservationIdParam) id: string,
  ): Promise<ReservationView> {
    const out = await this.reservations.release(id, channel);
    this.publisher.markDirty(out.changedSkus);
    return out.reservation;
  }

  @Post(':id/collect')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'collectReservation',
    summary: 'active → collected: the customer picked the units up at the store; idempotent',
    description:
      'Click and collect: the reservation holds the units at the store until the pickup deadline (its ' +
      '`expiresAt`; a pickup that lapses expires and the units return). Collecting takes every line out of ' +
      'reserved and on hand at its location, journaled, in one transaction; the status becomes `collected`. ' +
      'Collecting a collected reservation answers 200 with it and moves nothing. A confirmed, released or ' +
      'expired reservation, including one past its `expiresAt` that the sweeper has not ended yet, is 409 ' +
      '`reservation-not-active` with `reservationStatus`.',
  })
  @ApiResponse({ status: 200, type: ReservationView })
  @ApiProblems(
    401,
    [404, 'No such reservation in this channel'],
    [409, 'The reservation is confirmed, released or expired'],
  )
  async collectReservation(
    @Param('channel', ChannelParam) channel: string,
    @Param('id', ReservationIdParam) id: string,
    @Req() request: FastifyRequest,
  ): Promise<ReservationView> {
    const out = await this.reservations.collect(id, channel, request.id);
    this.publisher.markDirty(out.changedSkus);
    return out.reservation;
  }

  @Post(':id/extend')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'extendReservation',
    summary: "Extend an active reservation's expiry, up to the channel's maximum TTL; idempotent",
    description:
      "expiresAt becomes max(expiresAt, now + ttlSeconds). Past createdAt + the channel's maxTtlSeconds it is " +
      'refused (422 `ttl-exceeds-maximum`, with `maxTtlSeconds` and `latestExpiresAt`). Stock does not move.',
  })
  @ApiResponse({ status: 200, type: ReservationView })
  @ApiProblems(
    [400, 'Invalid body'],
    401,
    [404, 'No such reservation in this channel'],
    [409, 'The reservation is confirmed, released or expired', ['reservation-not-active']],
    [422, 'The expiry would pass the channel maximum', ['ttl-exceeds-maximum']],
  )
  async extendReservation(
    @Param('channel', ChannelParam) channel: string,
    @Param('id', ReservationIdParam) id: string,
    @Body() input: ExtendReservationInput,
  ): Promise<ReservationView> {
    const out = await this.reservations.extend({
      id: id,
      channel: channel,
      ttlSeconds: input.ttlSeconds,
    });
    return out.reservation;
  }

  @Put(':id/lines')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'changeReservationLines',
    summary: "Replace an active reservation's lines, all or nothing",
    description:
      'Lines follow the rules of creation (without a location they are sourced from the pool). Per (SKU, ' +
      'location) the difference is held under the never-oversell guard or returned, in one transaction; ' +
      'expiresAt stays. `Idempotency-Key` is required: the same key and body replay the first response (with ' +
      '`Idempotent-Replayed: true`), another body is 422, a twin in flight 409.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '1–255 visible ASCII characters' })
  @ApiHeader({
    name: 'X-Idempotency-Principal',
    required: false,
    description: 'Whose key space Idempotency-Key belongs to (the calling client)',
  })
  @ApiResponse({ status: 200, type: ReservationView, description: 'The reservation with its new lines' })
  @ApiProblems(
    [400, 'Invalid body, or missing or invalid Idempotency-Key'],
    401,
    [404, 'No such reservation in this channel'],
    [
      409,
      "Not enough stock (nothing changed), the client's hold limit, not active, or a twin in flight",
      ['insufficient-stock', 'hold-limit-exceeded', 'reservation-not-active', 'idempotency-key-in-flight'],
    ],
    [
      422,
      'Unknown SKU, location outside the pool, or Idempotency-Key reused with another body',
      ['unknown-sku', 'location-not-in-channel', 'idempotency-key-reused'],
    ],
  )
  async changeReservationLines(
    @Param('channel', ChannelParam) channel: string,
    @Param('id', ReservationIdParam) id: string,
    @Body() input: ChangeReservationLinesInput,
    @IdempotencyKey({
      requiredBecause: 'Send an Idempotency-Key header so that a retried change is applied once.',
    })
    idempotencyKey: string,
    @Headers('x-idempotency-principal') principal: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.reservations.changeLines({
      id,
      channel,
      lines: input.lines.map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        ...(l.location ? { location: l.location } : {}),
      })),
      correlationId: request.id,
      idempotency: {
        principal: principal ?? 'internal',
        key: idempotencyKey,
        retentionHours: this.config.IDEMPOTENCY_RETENTION_HOURS,
      },
    });
    this.publisher.markDirty(outcome.changedSkus);
    await sendOutcome(reply, outcome, 200);
  }
}
