import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { isUuid } from '@stockbridge/canonical';
import { ApiProblems, ServiceTokenGuard } from '@stockbridge/app-platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  GradeReturnInput,
  OpenReturnInput,
  ReceiveReturnInput,
  ReturnListQuery,
  RmaPageView,
  RmaView,
} from './return.dto';
import { ReturnError } from './return.error';
import { toView } from './rma.mapper';
import { ReturnsService } from './returns.service';

/** A path id that is no UUID names no return. */
function rmaId(id: string): string {
  if (!isUuid(id)) throw new ReturnError('rma-not-found', `Return "${id}" does not exist.`);
  return id.toLowerCase();
}

@ApiTags('returns')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@Controller('v1/returns')
export class ReturnsController {
  constructor(private readonly returns: ReturnsService) {}

  @Post()
  @ApiOperation({
    operationId: 'openReturn',
    summary: 'Opens a return (RMA) of shipped units of an order',
    description:
      'Each SKU must be on the order, and its units on this and earlier returns may not exceed the units shipped. ' +
      'The same `source` and `externalRef` again answer the existing return (200); with other content, 409.',
  })
  @ApiResponse({ status: 201, type: RmaView, description: 'Opened' })
  @ApiResponse({ status: 200, type: RmaView, description: 'Opened before with the same external reference' })
  @ApiProblems(
    400,
    401,
    [409, 'The external reference was used for another return'],
    [422, 'Unknown order, SKU not on the order, or more units than were shipped'],
  )
  async openReturn(@Body() input: OpenReturnInput, @Res() reply: FastifyReply): Promise<void> {
    const out = await this.returns.open({
      orderId: input.orderId,
      source: input.source,
      externalRef: input.externalRef ?? null,
      reason: input.reason,
      lines: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    });
    await reply.status(out.changed ? 201 : 200).send(toView(out.rma));
  }

  @Post(':id/receive')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'receiveReturn',
    summary: 'Receives the units that arrived into quality control at a location (open → received)',
    description: 'The same receipt again answers the return unchanged; another one is refused (409).',
  })
  @ApiResponse({ status: 200, type: RmaView })
  @ApiProblems(
    400,
    401,
    [404, 'No such return'],
    [409, 'Already received otherwise, or cancelled'],
    [422, 'Unknown location, SKU not on the return, or more units than it announced'],
  )
  async receiveReturn(
    @Param('id') id: string,
    @Body() input: ReceiveReturnInput,
    @Req() request: FastifyRequest,
  ): Promise<RmaView> {
    const out = await this.returns.receive(
      rmaId(id),
      input.location,
      input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      request.id,
    );
    return toView(out.rma);
  }

  @Post(':id/grade')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'gradeReturn',
    summary: 'Grades the received units: resell, damaged or destroy (received → graded)',
    description:
      'Moves the units out of quality control accordingly, asks the ERP for the refund and the inventory adjustments, ' +
      'and marks the order returned, in one transaction. The same grading again answers the return unchanged; another one is refused (409).',
  })
  @ApiResponse({ status: 200, type: RmaView })
  @ApiProblems(
    400,
    401,
    [404, 'No such return'],
    [409, 'Not received yet, already graded otherwise, or cancelled'],
    [422, 'Grades that do not add up to the units received, or a SKU not on the return'],
  )
  async gradeReturn(
    @Param('id') id: string,
    @Body() input: GradeReturnInput,
    @Req() request: FastifyRequest,
  ): Promise<RmaView> {
    const out = await this.returns.grade(
      rmaId(id),
      input.lines.map((l) => ({ sku: l.sku, resell: l.resell, damaged: l.damaged, destroy: l.destroy })),
      request.id,
    );
    return toView(out.rma);
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getReturn',
    summary: 'One return',
    description: 'One return (RMA): its order, its lines and its state.',
  })
  @ApiResponse({ status: 200, type: RmaView })
  @ApiProblems(401, [404, 'No such return'])
  async getReturn(@Param('id') id: string): Promise<RmaView> {
    return toView(await this.returns.get(rmaId(id)));
  }

  @Get()
  @ApiOperation({
    operationId: 'listReturns',
    summary: 'Returns, newest first (of one order with `orderId`), a page at a time',
    description:
      'Returns, newest first (by creation time, then id); with `orderId`, only the returns of that order. Paged by ' +
      'cursor: `limit` returns per page, and `nextCursor` is the `cursor` of the next page (null on the last). Pass the ' +
      'same `orderId` with the cursor. A cursor that is not one this list gave out is 400 `invalid-cursor`.',
  })
  @ApiResponse({ status: 200, type: RmaPageView })
  @ApiProblems([400, 'Invalid filter, limit or cursor'], 401)
  async listReturns(@Query() query: ReturnListQuery): Promise<RmaPageView> {
    const page = await this.returns.list({
      orderId: query.orderId ?? null,
      limit: query.limit ?? 100,
      cursor: query.cursor,
    });
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }
}
