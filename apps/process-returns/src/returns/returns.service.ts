import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { decodeCursor, type Page } from '@stockbridge/app-platform';
import { Db, lockOrder, OrderStock } from '@stockbridge/ledger';
import { OrderLifecycle, Postings } from '@stockbridge/orders';
import { checkGrades, gradeMovements, gradeSummary, returnPostings, sameGrades } from './grading';
import { checkOpening, checkReceipt, type Opening, sameOpening, sameReceipt } from './return-rules';
import { ReturnError } from './return.error';
import type { GradeLine, Rma, SkuQuantity } from './rma';
import { RMA_LIST, RmaRepository } from './rma.repository';

/** The app that makes the returns' movements and postings (their source system). */
export const RETURNS_SOURCE = 'process-returns';

export interface OpenReturn extends Opening {
  source: string;
  externalRef: string | null;
}

/** A transition's outcome: the return as it is now, and whether this call changed it. */
export interface ReturnOutcome {
  rma: Rma;
  changed: boolean;
}

/**
 * The returns workflow: an RMA is opened against a shipped order, received at a location into quality
 * control, graded, and only then restocked, kept as damaged or written off. Each transition is one
 * transaction under the return's row lock; its stock movements, postings (with their outbox events) and the
 * order's transition commit together or not at all. Repeating a transition with the same content answers
 * the return unchanged; with other content it is refused.
 */
@Injectable()
export class ReturnsService {
  private readonly log = new Logger(ReturnsService.name);

  constructor(
    private readonly db: Db,
    private readonly rmas: RmaRepository,
  ) {}

  async get(id: string): Promise<Rma> {
    const rma = await this.rmas.find(id);
    if (!rma) throw notFound(id);
    return rma;
  }

  /**
   * A page of returns (of one order, with `orderId`), newest first by `(created_at, id)`; `cursor` is the
   * `nextCursor` of the page before (400 `invalid-cursor` when this list did not give it out).
   */
  async list(filter: { orderId: string | null; limit: number; cursor?: string }): Promise<Page<Rma>> {
    return this.rmas.list({
      orderId: filter.orderId,
      limit: filter.limit,
      after: decodeCursor(RMA_LIST, filter.cursor, ['timestamp', 'uuid']),
    });
  }

  /** Opens a return; `changed: false` when the source's external reference already opened this same one. */
  async open(input: OpenReturn): Promise<ReturnOutcome> {
    const orderId = input.orderId.toLowerCase();
    return this.db.tx(async (sql) => {
      const replay = async () =>
        input.externalRef === null
          ? null
          : this.replayOpening(
              await this.rmas.findByExternalRef(sql, input.source, input.externalRef),
              input,
            );
      const early = await replay();
      if (early) return early;

      const order = await this.rmas.lockOrder(sql, orderId);
      if (!order) throw new ReturnError('order-not-found', `Order ${orderId} does not exist.`, { orderId });
      // A twin of this request may have committed while this one waited for the order.
      const twin = await replay();
      if (twin) return twin;
      if (input.source !== 'oms' && input.source !== order.channel)
        throw new ReturnError(
          'source-not-allowed',
          `A return of order ${orderId} is opened by the OMS ("oms") or by its channel "${order.channel}", not by "${input.source}".`,
        );
      checkOpening(input.lines, await this.rmas.orderSkus(sql, orderId));

      const id = randomUUID();
      const inserted = await this.rmas.insert(sql, { ...input, id, orderId });
      if (!inserted) {
        const raced = await replay();
        if (raced) return raced;
        throw new Error(`Return ${input.source}/${input.externalRef} vanished while it was being opened`);
      }
      return { rma: (await this.rmas.find(id, sql))!, changed: true };
    });
  }

  /** Receives the units that arrived at a location into its quality control: open → received. */
  async receive(
    id: string,
    location: string,
    lines: SkuQuantity[],
    correlationId: string,
  ): Promise<ReturnOutcome> {
    return this.db.tx(async (sql) => {
      const rma = await this.rmas.lock(sql, id);
      if (!rma) throw notFound(id);
      if (rma.status === 'cancelled') throw cancelled(rma);
      if (rma.status !== 'open') {
        if (sameReceipt(rma, location, lines)) return { rma, changed: false };
        throw new ReturnError(
          'already-received',
          `Return ${id} was already received at ${rma.location} with other units; a receipt cannot be changed.`,
          { status: rma.status },
        );
      }
      if (!(await this.rmas.locationExists(sql, location)))
        throw new ReturnError('unknown-location', `Location ${location} does not exist.`, { location });
      const received = checkReceipt(rma, lines);
      for (const line of lockOrder([...received].map(([sku, quantity]) => ({ sku, location, quantity })))) {
        if (line.quantity === 0) continue;
        await OrderStock.apply(sql, {
          kind: 'return-receive',
          sku: line.sku,
          location,
          quantity: line.quantity,
          orderId: rma.orderId,
          sourceSystem: RETURNS_SOURCE,
          sourceEventId: `rma:${id}:receive:${line.sku}`,
          reason: `return ${id}: received into quality control`,
          correlationId,
        });
      }
      await this.rmas.markReceived(sql, id, location, received);
      return { rma: (await this.rmas.find(id, sql))!, changed: true };
    });
  }

  /**
   * Grades the received units: received → graded. Resell units leave quality control (sellable again),
   * damaged ones move to damaged, destroyed ones are written off; the refund and one inventory adjustment
   * per grade are asked of the ERP; the order becomes `returned`.
   */
  async grade(id: string, lines: GradeLine[], correlationId: string): Promise<ReturnOutcome> {
    return this.db.tx(async (sql) => {
      const rma = await this.rmas.lock(sql, id);
      if (!rma) throw notFound(id);
      if (rma.status === 'cancelled') throw cancelled(rma);
      if (rma.status === 'open')
        throw new ReturnError('not-received', `Return ${id} has not been received yet; receive it first.`, {
          status: rma.status,
        });
      if (rma.status === 'graded') {
        if (sameGrades(rma, lines)) return { rma, changed: false };
        throw new ReturnError(
          'already-graded',
          `Return ${id} was already graded otherwise; a grading cannot be changed.`,
          { status: rma.status },
        );
      }
      const graded = checkGrades(rma, lines);
      const location = rma.location!;
      // The order before any stock row: the same order as the allocation workflow takes its locks in.
      await this.rmas.lockOrder(sql, rma.orderId);
      const values = await this.rmas.orderSkus(sql, rma.orderId);

      for (const m of gradeMovements(id, graded)) {
        await OrderStock.apply(sql, {
          kind: m.kind,
          sku: m.sku,
          location,
          quantity: m.quantity,
          orderId: rma.orderId,
          sourceSystem: RETURNS_SOURCE,
          sourceEventId: m.sourceEventId,
          reason: `return ${id}: graded`,
          correlationId,
        });
      }
      for (const draft of returnPostings({ ...rma, location }, graded, values))
        await Postings.request(sql, draft, { source: RETURNS_SOURCE, correlationId });
      await this.rmas.markGraded(sql, id, graded);
      const moved = await OrderLifecycle.transition(sql, {
        orderId: rma.orderId,
        to: 'returned',
        cause: `return ${id} graded: ${gradeSummary(graded)}`,
        source: RETURNS_SOURCE,
      });
      if (!moved.changed && moved.reason === 'not-allowed')
        this.log.warn(
          `return ${id} graded, but order ${rma.orderId} in state ${moved.state} cannot become returned`,
        );
      return { rma: (await this.rmas.find(id, sql))!, changed: true };
    });
  }

  private replayOpening(existing: Rma | null, input: OpenReturn): ReturnOutcome | null {
    if (!existing) return null;
    if (sameOpening(existing, input)) return { rma: existing, changed: false };
    throw new ReturnError(
      'external-ref-reused',
      `Return "${input.externalRef}" of ${input.source} was already opened (${existing.id}) with other content.`,
      { rmaId: existing.id },
    );
  }
}

function notFound(id: string): ReturnError {
  return new ReturnError('rma-not-found', `Return ${id} does not exist.`);
}

function cancelled(rma: Rma): ReturnError {
  return new ReturnError('rma-cancelled', `Return ${rma.id} is cancelled.`, { status: rma.status });
}
