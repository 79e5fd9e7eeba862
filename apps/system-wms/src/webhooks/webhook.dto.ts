export class WebhookAcceptedView {
  /** The WMS's event id. @example "3f1c2b9e-8d4a-4f6b-9c1e-2a7d5e6f8b90" */
  eventId!: string;
  /** Queued for translation (also for a redelivery: the queue keeps one job per event). */
  accepted!: boolean;
}
