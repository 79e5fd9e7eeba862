import { Body, Controller, Get, Headers, Post, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiProblems, ProblemError } from '@stockbridge/app-platform';
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
import {
  CreateJournalEntryInput,
  JournalEntryCreatedView,
  JournalEntryPageView,
  JournalEntryQuery,
} from './journal-entry.dto';
import { JournalService } from './journal.service';

/** The stand-in ERP's own API: item numbers, site codes, cases, paged results. */
@ApiTags('erp')
@NativeApi('erp')
@ApiExtraModels(UnknownItemErrorView)
@Controller('erp/api/v2')
export class ErpController {
  constructor(
    private readonly erp: ErpService,
    private readonly journal: JournalService,
  ) {}

  @Get('items')
  @ApiOperation({
    operationId: 'listErpItems',
    summary: 'The item master, by item number',
    description:
      "The ERP's item master ordered by item number: each item's description and case quantity " +
      '(each per case). Paged with `page` and `pageSize` (up to 500); the page carries totalItems ' +
      'and totalPages.',
  })
  @ApiResponse({ status: 200, type: ErpItemPageView })
  @ApiProblems(400)
  listErpItems(@Query() query: PageQuery): Promise<ErpItemPageView> {
    return this.erp.listItems(paging(query));
  }

  @Get('on-hand')
  @ApiOperation({
    operationId: 'listErpOnHand',
    summary: 'On hand per item and site (a snapshot), by item number and site',
    description:
      'On hand per item and site, ordered by item number then site code, in each and in whole cases ' +
      "(by the item's case quantity); `siteCode` keeps one site. Paged (`pageSize` up to 500). What " +
      "the platform's ERP adapter (system-erp) reads for its on-hand snapshots.",
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
    description:
      'The commitments recorded, one per externalRef, in the order received, with their lines in ' +
      'each (cases converted at commit). `externalRef` finds the one of an order. Paged (`pageSize` ' +
      'up to 500).',
  })
  @ApiResponse({ status: 200, type: CommitmentPageView })
  @ApiProblems(400)
  listErpCommitments(@Query() query: CommitmentQuery): Promise<CommitmentPageView> {
    return this.erp.listCommitments(query.externalRef, paging(query));
  }

  @Post('journal-entries')
  @ApiOperation({
    operationId: 'createErpJournalEntry',
    summary: 'Book an accounting entry, once per posting key',
    description:
      'Amounts are decimal strings of currency units with at most two decimals ("39.8" is stored as "39.80"). The ' +
      '`idempotency-key` header must repeat `postingKey`; a key booked before answers 200 with that entry and books nothing.',
  })
  @ApiHeader({ name: 'idempotency-key', required: true, description: 'The posting key of the body' })
  @ApiResponse({ status: 201, type: JournalEntryCreatedView, description: 'Booked' })
  @ApiResponse({
    status: 200,
    type: JournalEntryCreatedView,
    description: 'The posting key was booked before; that entry',
  })
  @ApiResponse({
    status: 422,
    description: 'Unknown item or site; nothing booked',
    schema: { $ref: getSchemaPath(UnknownItemErrorView) },
  })
  @ApiProblems([400, 'Invalid body, or a missing or different idempotency-key header'])
  async createErpJournalEntry(
    @Body() input: CreateJournalEntryInput,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (idempotencyKey === undefined || idempotencyKey === '')
      throw ProblemError.of(
        400,
        'missing-idempotency-key',
        'The idempotency-key header is required; send the posting key in it.',
      );
    if (idempotencyKey !== input.postingKey)
      throw ProblemError.of(
        400,
        'idempotency-key-mismatch',
        `The idempotency-key header (${idempotencyKey}) must equal postingKey (${input.postingKey}).`,
      );
    const outcome = await this.journal.post(input);
    await reply.status(outcome.status).send(outcome.body);
  }

  @Get('journal-entries')
  @ApiOperation({
    operationId: 'listErpJournalEntries',
    summary: 'Journal entries in the order booked, optionally of one reference or posting key',
    description:
      'Booked journal entries in booking order, with their type, amount, currency, reference, ' +
      'reason code, business date and lines. `reference` and `postingKey` filter them. Paged ' +
      '(`pageSize` up to 500).',
  })
  @ApiResponse({ status: 200, type: JournalEntryPageView })
  @ApiProblems(400)
  listErpJournalEntries(@Query() query: JournalEntryQuery): Promise<JournalEntryPageView> {
    return this.journal.list({ reference: query.reference, postingKey: query.postingKey }, paging(query));
  }
}
