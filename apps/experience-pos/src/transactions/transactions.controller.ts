import { Body, Controller, HttpCode, Param, Post, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, Metrics, type Problem, ProblemError } from '@stockbridge/app-platform';
import {
  ActsForStore,
  ApiKeyGuard,
  type AuthenticatedRequest,
  relay,
  RequiresScope,
  RetryAfterInterceptor,
} from '@stockbridge/channel-api';
import type { Counter } from 'prom-client';
import { PosConfig } from '../pos.config';
import { BODY_PROBLEMS, keyProblems, STORE_PARAM, UPSTREAM_PROBLEMS } from '../pos-openapi';
import { ProcessReservationsClient } from '../process-client/process-reservations.client';
import { checkTransaction, type ForwardedTransaction } from './transaction-check';
import {
  PosTransactionBatch,
  type PosTransactionResult,
  PosTransactionResults,
  TRANSACTION_STATUSES,
} from './transaction.dto';

const EXAMPLE_BATCH = {
  transactions: [
    {
      transactionId: 'NYC-T3-000184',
      type: 'sale',
      occurredAt: '2026-01-05T09:41:07-05:00',
      lines: [
        { sku: 'SKU-00001', quantity: 2 },
        { sku: 'SKU-00417', quantity: 1 },
      ],
    },
    {
      transactionId: 'NYC-T3-000185',
      type: 'return',
      occurredAt: '2026-01-05T09:44:30-05:00',
      lines: [{ sku: 'SKU-00002', quantity: 1 }],
    },
    {
      transactionId: 'NYC-T3-000186',
      type: 'void',
      occurredAt: '2026-01-05T09:45:02-05:00',
      voidsTransactionId: 'NYC-T3-000185',
    },
  ],
};

const EXAMPLE_RESULTS: PosTransactionResults = {
  results: [
    { transactionId: 'NYC-T3-000184', status: 'applied' },
    { transactionId: 'NYC-T3-000185', status: 'duplicate' },
    {
      transactionId: 'NYC-T3-000186',
      status: 'refused',
      reason: 'transactionId "NYC-T3-000186" was used for another transaction',
    },
  ],
};

@ApiTags('transactions')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@UseInterceptors(RetryAfterInterceptor)
@ActsForStore()
@Controller('v1/stores/:store/transactions')
export class TransactionsController {
  private readonly outcomes: Counter<'status'>;

  constructor(
    private readonly process: ProcessReservationsClient,
    private readonly config: PosConfig,
    metrics: Metrics,
  ) {
    this.outcomes = metrics.counter(
      'pos_transactions_total',
      'Store transactions received, by the status answered (applied, duplicate, voided, refused)',
      ['status'],
    );
  }

  @Post()
  @HttpCode(200)
  @RequiresScope('pos:transactions')
  @ApiOperation({
    operationId: 'postTransactions',
    summary: "Your tills' sales, returns and voids: each applied once, with its own time, however late",
    description:
      'Up to 500 transactions per call, in any order, hours or days after they happened (a till that was offline ' +
      'sends what it kept). Each is identified by your own `transactionId` and applied at most once: sending it ' +
      'again answers `duplicate` and changes nothing, so a batch whose answer was lost (timeout, 502–504) is simply ' +
      'sent again whole. Each transaction is checked and applied on its own: a malformed one is `refused` with a ' +
      '`reason` and never holds up the others. A sale is never refused for lack of stock — it already happened: ' +
      'when it takes more than the store has, the store shows 0 of that SKU to every channel and operators get one ' +
      'exception until the shelf is counted. A void cancels an earlier transaction of your store; one that arrives ' +
      'before its transaction makes that transaction `voided` when it comes. No Idempotency-Key: the transaction ' +
      'ids are the keys.',
  })
  @ApiParam(STORE_PARAM)
  @ApiBody({
    type: PosTransactionBatch,
    examples: { tills: { summary: 'A sale, a return and its void', value: EXAMPLE_BATCH } },
  })
  @ApiResponse({
    status: 200,
    type: PosTransactionResults,
    description: 'One result per transaction, in the order sent',
    example: EXAMPLE_RESULTS,
  })
  @ApiProblems(
    [
      400,
      'The body is not `{ "transactions": [ 1–500 ] }` (single transactions are never a 400: they are `refused`)',
      ['validation-failed', 'malformed-json'],
    ],
    ...keyProblems('pos:transactions'),
    [404, 'Your store is no longer a store location of the platform'],
    ...BODY_PROBLEMS,
    ...UPSTREAM_PROBLEMS,
  )
  async postTransactions(
    @Req() request: AuthenticatedRequest,
    @Param('store') store: string,
    @Body() input: PosTransactionBatch,
  ): Promise<PosTransactionResults> {
    const checked = input.transactions.map(checkTransaction);
    const forwarded: ForwardedTransaction[] = [];
    for (const c of checked) if (c.ok) forwarded.push(c.transaction);
    const applied = forwarded.length > 0 ? await this.forward(request, store, forwarded) : [];
    let next = 0;
    const results = checked.map((c): PosTransactionResult => (c.ok ? applied[next++] : c.result));
    for (const r of results) this.outcomes.inc({ status: r.status });
    return { results };
  }

  /** The process API's result for each forwarded transaction, in order. */
  private async forward(
    request: AuthenticatedRequest,
    store: string,
    transactions: ForwardedTransaction[],
  ): Promise<PosTransactionResult[]> {
    const res = await this.process.call<{ results?: unknown } | Problem>(
      'POST',
      `/v1/stores/${encodeURIComponent(store)}/transactions`,
      { correlationId: request.id, body: { transactions }, timeoutMs: this.config.TRANSACTIONS_TIMEOUT_MS },
    );
    if (res.status === 200) {
      const results = (res.body as { results?: unknown }).results;
      if (Array.isArray(results) && results.length === transactions.length) {
        return results.map((r, i) => toResult(r, transactions[i].transactionId));
      }
    } else if (res.status === 404 && typeof (res.body as Problem).type === 'string') {
      relay(res.body as Problem);
    }
    throw ProblemError.of(
      502,
      'upstream-error',
      'The inventory service answered unexpectedly; send the same request again.',
    );
  }
}

/** One result as the POS contract words it; anything unexpected is the platform's fault, not the till's. */
function toResult(raw: unknown, sentId: string): PosTransactionResult {
  const r = (raw ?? {}) as { transactionId?: unknown; status?: unknown; reason?: unknown };
  if (!(TRANSACTION_STATUSES as readonly unknown[]).includes(r.status))
    throw ProblemError.of(
      502,
      'upstream-error',
      'The inventory service answered unexpectedly; send the same request again.',
    );
  return {
    transactionId: sentId,
    status: r.status as PosTransactionResult['status'],
    ...(typeof r.reason === 'string' ? { reason: r.reason } : {}),
  };
}
