import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
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
  type Problem,
  ProblemError,
  ProblemView,
} from '@stockbridge/http';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard, type AuthenticatedRequest, RequiresScope } from '../auth/api-key.guard';
import { ProcessReservationsClient, relay } from '../process-client/process-reservations.client';
import { CreateStorefrontReservation, StorefrontReservation } from './reservation.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ProcessReservation {
  id: string;
  status: StorefrontReservation['status'];
  expiresAt: string;
  reference: string | null;
  lines: { sku: string; quantity: number; location: string }[];
  /** Absent from responses the process API stored before ship-to existed. */
  shipTo?: { latitude: number; longitude: number } | null;
}

/** The storefront's view of a reservation; field order is fixed so that replays are byte-identical. */
function toStorefront(r: ProcessReservation): StorefrontReservation {
  return {
    id: r.id,
    status: r.status,
    expiresAt: r.expiresAt,
    reference: r.reference,
    lines: r.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, location: l.location })),
    shipTo: r.shipTo ? { latitude: r.shipTo.latitude, longitude: r.shipTo.longitude } : null,
  };
}

function notFound(id: string): ProblemError {
  return ProblemError.of(404, 'reservation-not-found', `Reservation "${id}" does not exist.`);
}

@ApiTags('reservations')
@ApiBearerAuth()
@ApiExtraModels(ProblemView, InsufficientStockProblemView)
@UseGuards(ApiKeyGuard)
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
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Unique per checkout attempt; 1–255 visible ASCII characters (a UUID is ideal)',
  })
  @ApiResponse({ status: 201, type: StorefrontReservation, description: 'Held' })
  @ApiResponse({
    status: 409,
    description:
      '`insufficient-stock` (nothing held; `shortages` lists each short SKU), or `idempotency-key-in-flight`',
    content: {
      [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/InsufficientStockProblemView' } },
    },
  })
  @ApiProblems(
    [400, 'Invalid body or missing/invalid Idempotency-Key'],
    401,
    [403, 'The key lacks reservations:write'],
    [413, 'Body over 1 MB'],
    [415, 'Body is not application/json'],
    [422, 'Unknown SKU, location outside your channel, or Idempotency-Key reused with a different body'],
    [503, 'Temporarily unavailable; retry with the same Idempotency-Key'],
  )
  async createReservation(
    @Req() request: AuthenticatedRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() input: CreateStorefrontReservation,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (idempotencyKey === undefined || idempotencyKey === '') {
      throw ProblemError.of(
        400,
        'idempotency-key-required',
        'Send an Idempotency-Key header (e.g. a UUID) so that a retried checkout never holds stock twice.',
      );
    }
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw ProblemError.of(
        400,
        'invalid-idempotency-key',
        'Idempotency-Key must be 1–255 visible ASCII characters.',
      );
    }
    const client = request.client;
    const res = await this.process.call<ProcessReservation | Problem>(
      'POST',
      `/v1/channels/${client.channel}/reservations`,
      {
        correlationId: request.id,
        headers: { 'idempotency-key': idempotencyKey, 'x-idempotency-principal': `client:${client.id}` },
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
    if (res.status === 409 && p.type.endsWith('/insufficient-stock')) {
      // Sent as stored, without a per-request `instance`, so that a replay is byte-identical.
      const body = { type: p.type, title: p.title, status: 409, detail: p.detail, shortages: p.shortages };
      await reply.status(409).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
      return;
    }
    this.fail(res.status, p);
  }

  @Get(':id')
  @RequiresScope('reservations:write')
  @ApiOperation({ operationId: 'getReservation', summary: "One of your channel's reservations" })
  @ApiResponse({ status: 200, type: StorefrontReservation })
  @ApiProblems(401, 403, [404, 'No such reservation in your channel'])
  async getReservation(
    @Req() request: AuthenticatedRequest,
    @Param('id') id: string,
  ): Promise<StorefrontReservation> {
    return this.forward(request, 'GET', id, '');
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @RequiresScope('reservations:write')
  @ApiOperation({
    operationId: 'confirmReservation',
    summary: 'active → confirmed: the order is placed; repeating it is harmless',
  })
  @ApiResponse({ status: 200, type: StorefrontReservation })
  @ApiProblems(
    401,
    403,
    [404, 'No such reservation in your channel'],
    [409, 'Released or expired: it can no longer be confirmed'],
  )
  async confirmReservation(
    @Req() request: AuthenticatedRequest,
    @Param('id') id: string,
  ): Promise<StorefrontReservation> {
    return this.forward(request, 'POST', id, '/confirm');
  }

  @Post(':id/release')
  @HttpCode(200)
  @RequiresScope('reservations:write')
  @ApiOperation({
    operationId: 'releaseReservation',
    summary: 'active → released: the stock returns at once; repeating it is harmless',
  })
  @ApiResponse({ status: 200, type: StorefrontReservation })
  @ApiProblems(
    401,
    403,
    [404, 'No such reservation in your channel'],
    [409, 'Confirmed or expired: it can no longer be released'],
  )
  async releaseReservation(
    @Req() request: AuthenticatedRequest,
    @Param('id') id: string,
  ): Promise<StorefrontReservation> {
    return this.forward(request, 'POST', id, '/release');
  }

  private async forward(
    request: AuthenticatedRequest,
    method: 'GET' | 'POST',
    id: string,
    action: string,
  ): Promise<StorefrontReservation> {
    if (!UUID.test(id)) throw notFound(id);
    const res = await this.process.call<ProcessReservation | Problem>(
      method,
      `/v1/channels/${request.client.channel}/reservations/${id.toLowerCase()}${action}`,
      { correlationId: request.id },
    );
    if (res.status === 200) return toStorefront(res.body as ProcessReservation);
    return this.fail(res.status, res.body as Problem);
  }

  /** Relays the process API's client errors; anything else means the platform is misconfigured. */
  private fail(status: number, p: Problem): never {
    if ([400, 404, 409, 422].includes(status) && typeof p.type === 'string') relay(p);
    throw ProblemError.of(502, 'upstream-error', 'The reservation service answered unexpectedly.');
  }
}
