import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
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
import { ApiProblems, IdempotencyKey, type Problem, type ProblemEntry } from '@stockbridge/app-platform';
import {
  ActsForStore,
  ApiKeyGuard,
  type AuthenticatedRequest,
  RequiresScope,
  RetryAfterInterceptor,
} from '@stockbridge/channel-api';
import type { FastifyReply } from 'fastify';
import {
  BODY_PROBLEMS,
  IDEMPOTENCY_KEY_HEADER,
  keyProblems,
  REPLAYED,
  STORE_PARAM,
  UPSTREAM_PROBLEMS,
} from '../pos-openapi';
import { ProcessReservationsClient } from '../process-client/process-reservations.client';
import { PickupDeadlines } from './pickup-deadlines';
import { asPickup, checkPickupId, pickupNotFound, type ProcessReservation, refusal } from './pickup-relay';
import { CreatePosPickup, PICKUP_EXAMPLE, PosPickup } from './pickup.dto';

const PICKUP_ID = { name: 'id', format: 'uuid', description: 'The pickup id' };
const NOT_FOUND: ProblemEntry = [404, 'No such pickup at your store', ['reservation-not-found']];
const NOT_ACTIVE: ProblemEntry = [
  409,
  'The pickup was already collected, cancelled or has lapsed (`pickupStatus` says which)',
  ['reservation-not-active'],
];

@ApiTags('pickups')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@UseInterceptors(RetryAfterInterceptor)
@ActsForStore()
@Controller('v1/stores/:store/pickups')
export class PickupsController {
  constructor(
    private readonly process: ProcessReservationsClient,
    private readonly deadlines: PickupDeadlines,
  ) {}

  @Post()
  @RequiresScope('pos:pickups:write')
  @ApiOperation({
    operationId: 'createPickup',
    summary: 'Hold units at your store for a customer to collect by a deadline: every line or none',
    description:
      'Click-and-collect: the units are held at your store (no other channel can sell them) until `pickupBy`; ' +
      'collect them when the customer comes, cancel to give them back, or let the pickup lapse: at `pickupBy` ' +
      "they return to sale by themselves. `pickupBy` is at most your channel's longest hold away " +
      '(`ttl-exceeds-maximum` says how long). `Idempotency-Key` is required: the same key and body replay the ' +
      'first answer (with `Idempotent-Replayed: true`), another body with the key is 422, a repeat while the first ' +
      'is running 409. Keys are kept for 24 hours.',
  })
  @ApiParam(STORE_PARAM)
  @ApiHeader(IDEMPOTENCY_KEY_HEADER('Unique per pickup'))
  @ApiBody({
    type: CreatePosPickup,
    examples: {
      pickup: {
        summary: 'Two units to collect within two days',
        value: {
          lines: [{ sku: 'SKU-00001', quantity: 2 }],
          pickupBy: '2026-01-07T19:00:00-05:00',
          reference: 'web-order-55123',
        },
      },
    },
  })
  @ApiResponse({
    status: 201,
    type: PosPickup,
    description: 'Held',
    example: PICKUP_EXAMPLE,
    headers: REPLAYED,
  })
  @ApiProblems(
    [
      400,
      'Invalid body (`pickupBy` in the past or more than 7 days away included), or missing or invalid Idempotency-Key',
      ['validation-failed', 'malformed-json', 'idempotency-key-required', 'invalid-idempotency-key'],
    ],
    ...keyProblems('pos:pickups:write'),
    [
      409,
      '`insufficient-stock` (nothing held; `shortages` lists each short SKU), `hold-limit-exceeded` (nothing held) ' +
        'or `idempotency-key-in-flight` (a request with this key is still running: retry shortly)',
      ['insufficient-stock', 'hold-limit-exceeded', 'idempotency-key-in-flight'],
      REPLAYED,
    ],
    ...BODY_PROBLEMS,
    [
      422,
      "Unknown SKU, your store no longer in your channel, Idempotency-Key reused with another body, or `pickupBy` beyond the channel's longest hold",
      ['unknown-sku', 'location-not-in-channel', 'idempotency-key-reused', 'ttl-exceeds-maximum'],
      REPLAYED,
    ],
    ...UPSTREAM_PROBLEMS,
  )
  async createPickup(
    @Req() request: AuthenticatedRequest,
    @Param('store') store: string,
    @IdempotencyKey({
      requiredBecause:
        'Send an Idempotency-Key header (e.g. a UUID) so that a retried pickup never holds stock twice.',
    })
    key: string,
    @Body() input: CreatePosPickup,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const client = request.client;
    const ttlSeconds = await this.deadlines.holdSeconds(client.id, key, input.pickupBy);
    const res = await this.process.call<ProcessReservation | Problem>(
      'POST',
      `/v1/channels/${client.channel}/reservations`,
      {
        correlationId: request.id,
        headers: { 'idempotency-key': key, 'x-idempotency-principal': `client:${client.id}` },
        body: {
          lines: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, location: store })),
          ttlSeconds,
          ...(input.reference !== undefined ? { reference: input.reference } : {}),
        },
      },
    );
    if (res.replayed) void reply.header('idempotent-replayed', 'true');
    const pickup = res.status === 201 ? asPickup(res.body as ProcessReservation, store) : undefined;
    if (pickup) {
      await reply.status(201).send(pickup);
      return;
    }
    refusal(res.status, res.body as Problem);
  }

  @Get(':id')
  @RequiresScope('pos:pickups:write')
  @ApiOperation({
    operationId: 'getPickup',
    summary: 'One of your store’s pickups',
    description: 'A pickup of another store is 404, like one that does not exist.',
  })
  @ApiParam(STORE_PARAM)
  @ApiParam(PICKUP_ID)
  @ApiResponse({ status: 200, type: PosPickup, example: PICKUP_EXAMPLE })
  @ApiProblems(...keyProblems('pos:pickups:write'), NOT_FOUND, ...UPSTREAM_PROBLEMS)
  async getPickup(
    @Req() request: AuthenticatedRequest,
    @Param('store') store: string,
    @Param('id') id: string,
  ): Promise<PosPickup> {
    return this.read(request, store, checkPickupId(id));
  }

  @Post(':id/collect')
  @HttpCode(200)
  @RequiresScope('pos:pickups:write')
  @ApiOperation({
    operationId: 'collectPickup',
    summary: 'reserved → collected: the customer took the units; repeating it is harmless',
    description:
      'The held units leave your stock once: collecting a collected pickup answers 200 again and changes nothing. ' +
      'A cancelled or lapsed pickup is 409 `reservation-not-active`: its units went back on sale; sell them with a ' +
      'sale transaction if the customer still takes them.',
  })
  @ApiParam(STORE_PARAM)
  @ApiParam(PICKUP_ID)
  @ApiResponse({ status: 200, type: PosPickup, example: { ...PICKUP_EXAMPLE, status: 'collected' } })
  @ApiProblems(...keyProblems('pos:pickups:write'), NOT_FOUND, NOT_ACTIVE, ...UPSTREAM_PROBLEMS)
  async collectPickup(
    @Req() request: AuthenticatedRequest,
    @Param('store') store: string,
    @Param('id') id: string,
  ): Promise<PosPickup> {
    return this.act(request, store, checkPickupId(id), 'collect');
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequiresScope('pos:pickups:write')
  @ApiOperation({
    operationId: 'cancelPickup',
    summary: 'reserved → cancelled: the units go back on sale at once; repeating it is harmless',
    description:
      'Cancelling a cancelled pickup answers 200 again. A collected or lapsed pickup is 409 `reservation-not-active`.',
  })
  @ApiParam(STORE_PARAM)
  @ApiParam(PICKUP_ID)
  @ApiResponse({ status: 200, type: PosPickup, example: { ...PICKUP_EXAMPLE, status: 'cancelled' } })
  @ApiProblems(...keyProblems('pos:pickups:write'), NOT_FOUND, NOT_ACTIVE, ...UPSTREAM_PROBLEMS)
  async cancelPickup(
    @Req() request: AuthenticatedRequest,
    @Param('store') store: string,
    @Param('id') id: string,
  ): Promise<PosPickup> {
    return this.act(request, store, checkPickupId(id), 'release');
  }

  /** The pickup, after checking it is one of this store's (another store's is 404). */
  private async read(request: AuthenticatedRequest, store: string, id: string): Promise<PosPickup> {
    const res = await this.process.call<ProcessReservation | Problem>(
      'GET',
      `/v1/channels/${request.client.channel}/reservations/${id}`,
      { correlationId: request.id },
    );
    if (res.status !== 200) refusal(res.status, res.body as Problem, id);
    const pickup = asPickup(res.body as ProcessReservation, store);
    if (!pickup) throw pickupNotFound(id);
    return pickup;
  }

  private async act(
    request: AuthenticatedRequest,
    store: string,
    id: string,
    action: 'collect' | 'release',
  ): Promise<PosPickup> {
    await this.read(request, store, id);
    const res = await this.process.call<ProcessReservation | Problem>(
      'POST',
      `/v1/channels/${request.client.channel}/reservations/${id}/${action}`,
      { correlationId: request.id },
    );
    if (res.status !== 200) refusal(res.status, res.body as Problem, id);
    const pickup = asPickup(res.body as ProcessReservation, store);
    if (!pickup) throw pickupNotFound(id);
    return pickup;
  }
}
