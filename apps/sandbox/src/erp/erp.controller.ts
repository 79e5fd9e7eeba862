import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiProblems } from '@stockbridge/http';
import type { FastifyReply } from 'fastify';
import { NativeApi } from '../faults/native-api.decorator';
import { paging } from '../infra/paging';
import { PageQuery } from '../infra/paging.dto';
import {
  CommitmentPageView,
  CommitmentQuery,
  CommitmentView,
  CreateCommitmentInput,
  ErpItemPageView,
  ErpOnHandPageView,
  ErpOnHandQuery,
  UnknownItemErrorView,
} from './erp.dto';
import { ErpService } from './erp.service';

/** The stand-in ERP's own API: item numbers, site codes, cases, paged results. */
@ApiTags('erp')
@NativeApi('erp')
@ApiExtraModels(UnknownItemErrorView)
@Controller('erp/api/v2')
export class ErpController {
  constructor(private readonly erp: ErpService) {}

  @Get('items')
  @ApiOperation({ operationId: 'listErpItems', summary: 'The item master, by item number' })
  @ApiResponse({ status: 200, type: ErpItemPageView })
  @ApiProblems(400)
  listErpItems(@Query() query: PageQuery): Promise<ErpItemPageView> {
    return this.erp.listItems(paging(query));
  }

  @Get('on-hand')
  @ApiOperation({
    operationId: 'listErpOnHand',
    summary: 'On hand per item and site (a snapshot), by item number and site',
  })
  @ApiResponse({ status: 200, type: ErpOnHandPageView })
  @ApiProblems(400)
  listErpOnHand(@Query() query: ErpOnHandQuery): Promise<ErpOnHandPageView> {
    return this.erp.listOnHand(query.siteCode, paging(query));
  }

  @Post('commitments')
  @ApiOperation({
    operationId: 'createErpCommitment',
    summary: 'Commit stock to an order, once per externalRef',
    description:
      'Quantities in cases are stored in each. A repeated externalRef answers 200 with the stored commitment.',
  })
  @ApiResponse({ status: 201, type: CommitmentView, description: 'Committed' })
  @ApiResponse({
    status: 200,
    type: CommitmentView,
    description: 'The externalRef was committed before; the stored commitment',
  })
  @ApiResponse({
    status: 422,
    description: 'Unknown item or site; nothing committed',
    schema: { $ref: getSchemaPath(UnknownItemErrorView) },
  })
  @ApiProblems(400)
  async createErpCommitment(@Body() input: CreateCommitmentInput, @Res() reply: FastifyReply): Promise<void> {
    const outcome = await this.erp.createCommitment(input);
    await reply.status(outcome.status).send(outcome.body);
  }

  @Get('commitments')
  @ApiOperation({
    operationId: 'listErpCommitments',
    summary: 'Commitments in the order received, optionally of one externalRef',
  })
  @ApiResponse({ status: 200, type: CommitmentPageView })
  @ApiProblems(400)
  listErpCommitments(@Query() query: CommitmentQuery): Promise<CommitmentPageView> {
    return this.erp.listCommitments(query.externalRef, paging(query));
  }
}
