import { Body, Controller, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ApiProblems,
  CATALOG_CODE_PATTERN,
  PathCodePipe,
  ProblemError,
  ServiceTokenGuard,
} from '@stockbridge/app-platform';
import { LedgerError, StoreTransactions } from '@stockbridge/ledger';
import type { FastifyRequest } from 'fastify';
import { AvailabilityPublisher } from '../availability/availability-publisher.service';
import {
  StoreTransactionBatchInput,
  StoreTransactionBatchView,
  type StoreTransactionResultView,
} from './store-transaction.dto';
import { readTransaction } from './store-transaction.validation';

const notAStore = (store: string) =>
  ProblemError.of(404, 'unknown-location', `Location "${store}" does not exist or is not a store.`);

/** The store in the path: a code that cannot be a location's is no store (404), like an unknown one. */
export const StoreParam = new PathCodePipe((v) => CATALOG_CODE_PATTERN.test(v), notAStore);

@ApiTags('stores')
@ApiBearerAuth()
@UseGuards(ServiceTokenGuard)
@Controller('v1/stores/:store/transactions')
export class StoreTransactionsController {
  constructor(
    private readonly stores: StoreTransactions,
    private readonly publisher: AvailabilityPublisher,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'applyStoreTransactions',
    summary: "Apply a batch of a store's till transactions (sales, returns, voids); a result per transaction",
    description:
      'Each transaction is applied once per (store, transactionId), all of it or nothing, with its own ' +
      '`occurredAt`, however late it arrives (a till that was offline) and in any order. A sale is never refused ' +
      'for want of stock: what the store did not have free is counted as oversold, the level then shows 0 to every ' +
      'channel until it is counted, and one `negative-stock` stock exception is opened for operators. A return ' +
      'puts units back on hand. A void undoes the transaction it names (a sale gives back what it took, its ' +
      'oversold part first); a void that arrives before its transaction waits for it, which is then kept but not ' +
      'applied (`voided`). The same id again with the same content is `duplicate` (nothing changes); with other ' +
      'content, or an unknown SKU, an occurredAt more than 5 minutes ahead, an unknown field or a broken rule, ' +
      'the transaction is `refused` with a `reason` and the others go on. The results come in the order of the ' +
      'request. The batch itself must be `{ "transactions": [1–500 objects] }` (400 otherwise); a store that is not ' +
      'a location of type store is 404 `unknown-location`.',
  })
  @ApiResponse({ status: 200, type: StoreTransactionBatchView })
  @ApiProblems([400, 'The body is not { "transactions": [ 1–500 objects ] }'], 401, [
    404,
    'The store is not a location of type store (`unknown-location`)',
  ])
  async applyStoreTransactions(
    @Param('store', StoreParam) store: string,
    @Body() input: StoreTransactionBatchInput,
    @Req() request: FastifyRequest,
  ): Promise<StoreTransactionBatchView> {
    const read = input.transactions.map(readTransaction);
    const valid = read.flatMap((r, index) => (r.ok ? [{ index, transaction: r.transaction }] : []));
    let applied;
    try {
      applied = await this.stores.applyBatch(
        store,
        valid.map((v) => v.transaction),
        request.id,
      );
    } catch (err) {
      if (err instanceof LedgerError && err.code === 'unknown-location') throw notAStore(store);
      throw err;
    }
    this.publisher.markDirty(applied.changedSkus);
    const results: StoreTransactionResultView[] = read.map((r) =>
      r.ok
        ? { transactionId: r.transaction.transactionId, status: 'applied' }
        : {
            transactionId: r.transactionId,
            status: 'refused',
            reason: r.reason,
          },
    );
    valid.forEach((v, k) => {
      results[v.index] = { transactionId: v.transaction.transactionId, ...applied.outcomes[k] };
    });
    return { results };
  }
}
