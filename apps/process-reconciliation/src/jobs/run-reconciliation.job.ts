import { Processor } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { isUuid } from '@stockbridge/canonical';
import {
  deterministicEventId,
  PermanentError,
  QueueRegistry,
  ReliableWorker,
  WorkerSupport,
  workerOptions,
  scheduleCommand,
} from '@stockbridge/messaging';
import type { Job } from 'bullmq';
import { ProcessReconciliationConfig } from '../process-reconciliation.config';
import { ReconciliationService } from '../reconciliation/reconciliation.service';

/** A run asked for: by the schedule, or by someone through the API. */
export interface RunReconciliationPayload {
  trigger: 'schedule' | 'on-demand';
  requestedBy: string | null;
  correlationId?: string;
}

/** Runs a reconciliation; the job id names the run, so a retried job continues the same run. */
@Processor('reconciliation.runs', workerOptions('reconciliation.runs'))
export class RunReconciliationJob extends ReliableWorker<RunReconciliationPayload> {
  constructor(
    support: WorkerSupport,
    private readonly reconciliation: ReconciliationService,
  ) {
    super('reconciliation.runs', support);
  }

  protected async handle(job: Job<RunReconciliationPayload>): Promise<{ runId: string }> {
    const { trigger, requestedBy } = job.data ?? {};
    if (trigger !== 'schedule' && trigger !== 'on-demand')
      throw new PermanentError('validation', 'Not a reconciliation run request.');
    const runId = runIdOf(job);
    await this.reconciliation.run(trigger, requestedBy ?? null, runId);
    return { runId };
  }
}

/** The run id of a job: its id when that is a UUID (runs asked for through the API), else one derived from it. */
export function runIdOf(job: Pick<Job, 'id'>): string {
  const id = String(job.id);
  return isUuid(id) ? id : deterministicEventId(`reconciliation/${id}`);
}

/**
 * Registers the schedule with BullMQ's job scheduler: every replica upserts the same scheduler id, and BullMQ
 * produces one job per tick, so one run happens whatever the number of replicas.
 */
@Injectable()
export class ReconciliationSchedule implements OnApplicationBootstrap {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly config: ProcessReconciliationConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const cron = this.config.RECONCILIATION_CRON;
    const data: RunReconciliationPayload = { trigger: 'schedule', requestedBy: null };
    await scheduleCommand(
      this.queues,
      'reconciliation.runs',
      'reconciliation',
      cron ? { pattern: cron } : null,
      { name: 'reconciliation.run', data },
    );
  }
}
