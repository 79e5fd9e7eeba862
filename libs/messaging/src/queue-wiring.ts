import { type QueueDefinition, QUEUES, ROUTES } from './queues';

/** One job processor found in the app: a provider decorated with `@Processor(queue)`. */
export interface QueueHandler {
  /** Its class name, for the messages. */
  name: string;
  /** The queue its `@Processor` decorator names. */
  queue: string;
  /** The queue it gives `ReliableWorker`; undefined when it is no `ReliableWorker`. */
  workerQueue: string | undefined;
}

/** What an app declares in `MessagingModule.forRoot` and the processors it provides. */
export interface QueueWiring {
  /** Queues registered (`queues`, plus every routed queue when the app relays the outbox). */
  queues: readonly string[];
  /** Queues whose workers run in the app (`consumes`). */
  consumes: readonly string[];
  handlers: readonly QueueHandler[];
}

/** The registry the wiring is checked against: `QUEUES` and `ROUTES` unless a test brings its own. */
export interface QueueTable {
  queues: Readonly<Record<string, Pick<QueueDefinition, 'carries' | 'consumer'>>>;
  routes: Readonly<Record<string, readonly string[]>>;
}

const REGISTRY: QueueTable = { queues: QUEUES, routes: ROUTES };
const WHERE = 'libs/messaging/src/queues.ts';

/**
 * What is wrong with an app's queue wiring, one sentence each (empty when nothing is):
 * - every consumed queue is a queue of the registry, registered in the app, fed (an event type routed to it,
 *   or the app's own `native` intake or `command` queue), and has exactly one handler;
 * - every handler is a `ReliableWorker` of a queue of the registry that the app consumes, and gives
 *   `ReliableWorker` the queue its `@Processor` names;
 * - the consumed queues are one app's, and that app consumes every queue the registry gives it.
 */
export function queueWiringProblems(wiring: QueueWiring, table: QueueTable = REGISTRY): string[] {
  const problems: string[] = [];
  const known = (q: string) => Object.hasOwn(table.queues, q);
  const consumed = new Set(wiring.consumes);

  for (const h of wiring.handlers) {
    if (!known(h.queue)) {
      problems.push(`${h.name} handles "${h.queue}", which is no queue of the registry (${WHERE})`);
      continue;
    }
    if (h.workerQueue === undefined)
      problems.push(
        `${h.name} handles "${h.queue}" but does not extend ReliableWorker: a job that fails for good would never reach the dead letters`,
      );
    else if (h.workerQueue !== h.queue)
      problems.push(
        `${h.name} is @Processor("${h.queue}") but gives ReliableWorker "${h.workerQueue}": its metrics and dead letters would name the wrong queue`,
      );
    if (!consumed.has(h.queue))
      problems.push(
        `${h.name} handles "${h.queue}", which the app does not list in MessagingModule.forRoot({ consumes }): its failed jobs would never be swept into the dead letters`,
      );
  }

  for (const q of consumed) {
    if (!known(q)) {
      problems.push(`the app consumes "${q}", which is no queue of the registry (${WHERE})`);
      continue;
    }
    if (!wiring.queues.includes(q))
      problems.push(
        `the app consumes "${q}" but does not register it in MessagingModule.forRoot({ queues })`,
      );
    const handlers = wiring.handlers.filter((h) => h.queue === q);
    if (handlers.length === 0)
      problems.push(
        `the app consumes "${q}" but no provider handles it (a ReliableWorker decorated with @Processor("${q}")): its jobs would wait forever`,
      );
    else if (handlers.length > 1)
      problems.push(
        `"${q}" has ${handlers.length} handlers (${handlers.map((h) => h.name).join(', ')}): one per queue`,
      );
    const carries = table.queues[q].carries;
    if (carries !== 'native' && carries !== 'command' && !(table.routes[carries] ?? []).includes(q))
      problems.push(
        `the app consumes "${q}", which carries "${carries}", but ROUTES sends no "${carries}" event to it: nobody publishes to it`,
      );
  }

  const apps = new Map<string, string[]>();
  for (const q of consumed) {
    if (!known(q)) continue;
    const app = table.queues[q].consumer;
    apps.set(app, [...(apps.get(app) ?? []), q]);
  }
  if (apps.size > 1) {
    const list = [...apps].map(([app, qs]) => `${app}: ${qs.join(', ')}`).join('; ');
    problems.push(`the app consumes queues the registry gives to different apps (${list})`);
  } else if (apps.size === 1) {
    const [app] = apps.keys();
    for (const [q, def] of Object.entries(table.queues))
      if (def.consumer === app && !consumed.has(q))
        problems.push(
          `the registry makes ${app} the consumer of "${q}", but the app does not consume it: its jobs would wait forever`,
        );
  }
  return problems;
}

/** Thrown at startup, before any worker takes a job, when the app's queue wiring is wrong. */
export class QueueWiringError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `The app's queues and their handlers do not match (see "Adding a queue and its consumer" in docs/messaging.md):\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
    this.name = 'QueueWiringError';
  }
}
