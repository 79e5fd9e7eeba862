import type { PostingRequestedPayload } from '@stockbridge/canonical';
import { OnHandSource } from '@stockbridge/integration';

/** Units a channel committed to sell (a confirmed reservation), in our codes and eaches. */
export interface ErpCommitment {
  /** Our reference (the reservation id): the ERP keeps at most one commitment per reference. */
  reference: string;
  channel: string;
  lines: { sku: string; location: string; quantity: number }[];
}

/**
 * What the platform needs from an ERP. One adapter per ERP product; the adapter translates codes and units
 * and classifies failures (PermanentError, WaitError, transient) for the queue worker.
 */
export abstract class ErpPort extends OnHandSource {
  readonly backendName = 'ERP';
  /** Records a commitment; calling it again with the same reference changes nothing. */
  abstract commit(commitment: ErpCommitment): Promise<{ erpReference: string; duplicate: boolean }>;
  /**
   * Books one accounting entry under its posting key; calling it again with the same key books nothing and
   * answers the first entry with `duplicate: true` (also after a retry of our own whose first call landed).
   */
  abstract post(posting: PostingRequestedPayload): Promise<{ erpReference: string; duplicate: boolean }>;
  /** The state of the adapter's circuit toward the ERP. */
  abstract circuit(): string;
}
