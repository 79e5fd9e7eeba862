import { Processor } from '@nestjs/bullmq';
import type { FulfilmentReportedEvent } from '@stockbridge/canonical';
import { PermanentError, ReliableWorker, WorkerSupport, workerOptions } from '@stockbridge/messaging';
import type { Job } from 'bullmq';
import { FulfilmentReportService } from '../orders/fulfilment-report.service';

/** A `fulfilment.reported` event, as system-wms published it. */
export type FulfilmentReportPayload = FulfilmentReportedEvent;

const REPORT_KINDS = new Set(['released', 'shipped', 'short-picked', 'cancelled', 'cancel-refused']);

/** Checks a fulfilment report's shape; a malformed one can never succeed (dead letter at once). */
export function fulfilmentReport(data: unknown): FulfilmentReportedEvent {
  const e = data as Partial<FulfilmentReportedEvent> | null;
  const p = e?.payload;
  const problems: string[] = [];
  if (!e || e.type !== 'fulfilment.reported' || typeof e.id !== 'string')
    problems.push('not a fulfilment.reported envelope');
  else if (!p) problems.push('payload missing');
  else {
    if (!REPORT_KINDS.has(p.kind)) problems.push(`unknown kind "${String(p.kind)}"`);
    if (typeof p.fulfilmentOrderId !== 'string' || !/^[0-9a-f-]{36}$/i.test(p.fulfilmentOrderId))
      problems.push('fulfilmentOrderId must be a UUID');
    if (typeof p.sourceEventId !== 'string' || p.sourceEventId.length === 0)
      problems.push('sourceEventId missing');
    if (!Array.isArray(p.lines)) problems.push('lines must be an array');
    else if (
      p.lines.some((l) => typeof l?.sku !== 'string' || !Number.isSafeInteger(l.quantity) || l.quantity <= 0)
    )
      problems.push('every line needs a sku and a quantity > 0');
    if ((p.kind === 'shipped' || p.kind === 'short-picked') && Array.isArray(p.lines) && p.lines.length === 0)
      problems.push(`a ${p.kind} report needs lines`);
  }
  if (problems.length)
    throw new PermanentError('validation', `Invalid fulfilment report: ${problems.join('; ')}.`);
  return e as FulfilmentReportedEvent;
}

/** What the WMS did with a fulfilment order. */
@Processor('allocation.fulfilment-reports', workerOptions('allocation.fulfilment-reports'))
export class FulfilmentReportJob extends ReliableWorker<FulfilmentReportPayload> {
  constructor(
    support: WorkerSupport,
    private readonly reports: FulfilmentReportService,
  ) {
    super('allocation.fulfilment-reports', support);
  }

  protected async handle(job: Job<FulfilmentReportPayload>): Promise<{ applied: boolean }> {
    return this.reports.report(fulfilmentReport(job.data));
  }
}
