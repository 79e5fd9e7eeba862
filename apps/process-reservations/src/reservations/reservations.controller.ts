import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiProblems,
  InsufficientStockProblemView,
  PROBLEM_CONTENT_TYPE,
  problem,
  ProblemError,
  ProblemView,
  ServiceTokenGuard,
} from '@stockbridge/http';
import { Reservations } from '@stockbridge/ledger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Req } from '@nestjs/common';
import { AvailabilityPublisher } from '../availability/availability-publisher.service';

import { ProcessReservationsConfig } from '../process-reservations.config';
import { ReservationMetrics } from './reservation-metrics';
import { CreateReservationInput, ReservationView } from './reservation.dto';

const CHANNEL = /^[a-z0-9-]{1,32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

function channelParam(channel: string): string {
  if (!CHANNEL.test(channel))
    throw ProblemError.of(404, 'unknown-channel', `Channel "${channel}" does not exist.`);
  return channel;
}

function reservationId(id: string): string {
  if (!UUID.test(id))
    throw ProblemError.of(404, 'reservation-not-found', `Reservation "${id}" does not exist.`);
  return id.toLowerCase();
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
      'IDEMPOTENCY_RETENTION_HOURS (default 24 h).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '1–255 visible ASCII characters' })
  @ApiHeader({
    name: 'X-Idempotency-Principal',
    required: false,
    description: 'Whose key space Idempotency-Key belongs to (the calling client)',
  })
  @ApiResponse({ status: 201, type: ReservationView, description: 'Held' })
  @ApiResponse({
    status: 409,
    description: 'Not enough stock (`insufficient-stock`, nothing held) or a twin request is in flight',
    content: {
      [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/InsufficientStockProblemView' } },
    },
  })
  @ApiProblems(400, 401, 404, [
    422,
    'Unknown SKU, location outside the pool, or Idempotency-Key reused with another body',
  ])
  async createReservation(
    @Param('channel') channel: string,
    @Body() input: CreateReservationInput,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('x-idempotency-principal') principal: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    channelParam(channel);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw ProblemError.of(
        400,
        'invalid-idempotency-key',
        'Idempotency-Key must be 1–255 visible ASCII characters.',
      );
    }
    const outcome = await this.reservations.reserve({
      channel,
      lines: input.lines.map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        ...(l.location ? { location: l.location } : {}),
      })),
      ttlSeconds: input.ttlSeconds ?? this.config.DEFAULT_TTL_SECONDS,
      reference: input.reference ?? null,
      shipTo: input.shipTo ? { latitude: input.shipTo.latitude, longitude: input.shipTo.longitude } : null,
      correlationId: request.id,
      idempotency: idempotencyKey
        ? {
            principal: principal ?? 'internal',
            key: idempotencyKey,
            retentionHours: this.config.IDEMPOTENCY_RETENTION_HOURS,
          }
        : undefined,
    });
    this.publisher.markDirty(outcome.changedSkus);
    this.metrics.outcome(channel, outcome.status === 201 ? 'accepted' : 'rejected', outcome.replayed);
    if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
    if (outcome.status === 201) {
      await reply.status(201).send(outcome.body);
      return;
    }
    const short = outcome.body.shortages;
    const body = problem(
      409,
      'insufficient-stock',
      `Not enough stock for ${short.length} SKU${short.length === 1 ? '' : 's'}; nothing was held.`,
      {
        shortages: short,
      },
    );
    await reply.status(409).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getReservation', summary: 'A reservation of this channel' })
  @ApiResponse({ status: 200, type: ReservationView })
  @ApiProblems(401, [404, 'No such reservation in this channel'])
  async getReservation(@Param('channel') channel: string, @Param('id') id: string): Promise<ReservationView> {
    return this.reservations.get(reservationId(id), channelParam(channel));
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'confirmReservation',
    summary: 'active → confirmed (the order is placed); idempotent',
  })
  @ApiResponse({ status: 200, type: ReservationView })
  @ApiProblems(
    401,
    [404, 'No such reservation in this channel'],
    [409, 'The reservation is released or expired'],
  )
  async confirmReservation(
    @Param('channel') channel: string,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
  ): Promise<ReservationView> {
    const out = await this.reservations.confirm(reservationId(id), channelParam(channel), request.id);
    return out.reservation;
  }

  @Post(':id/release')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'releaseReservation',
    summary: 'active → released; the stock returns at once; idempotent',
  })
  @ApiResponse({ status: 200, type: ReservationView })
  @ApiProblems(
    401,
    [404, 'No such reservation in this channel'],
    [409, 'The reservation is confirmed or expired'],
  )
  async releaseReservation(
    @Param('channel') channel: string,
    @Param('id') id: string,
  ): Promise<ReservationView> {
    const out = await this.reservations.release(reservationId(id), channelParam(channel));
    this.publisher.markDirty(out.changedSkus);
    return out.reservation;
  }
}
