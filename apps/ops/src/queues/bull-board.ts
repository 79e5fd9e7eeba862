import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { BoardHooks } from '@bull-board/api/typings/app';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AuditLog, errorMessage, QueueRegistry } from '@stockbridge/messaging';
import { Db } from '@stockbridge/persistence';
import type { FastifyInstance } from 'fastify';
import { adminAuthHook } from '../auth/admin-auth.hook';
import { AdminCredentials } from '../auth/admin-credentials';

export const BULL_BOARD_PATH = '/queues';

const log = new Logger('BullBoard');

/**
 * Writes an audit entry for every change made through the board (pause, retry, clean, remove, …): the
 * board acts on the queues directly, outside the API's own audited operations.
 */
function auditHooks(credentials: AdminCredentials, audit: AuditLog, db: Db): BoardHooks {
  return {
    after: async (context, result) => {
      if (context.method === 'get' || (result.status ?? 200) >= 400) return result;
      const params = context.request.params as Record<string, unknown>;
      const queueName = typeof params.queueName === 'string' ? params.queueName : null;
      try {
        await audit.write(db, {
          actor: credentials.authenticate(context.request.headers.authorization) ?? 'unknown',
          action: 'queue-board.action',
          targetType: 'queue',
          targetId: queueName,
          details: { method: context.method.toUpperCase(), route: context.route, params },
        });
      } catch (err) {
        // The action has happened already; a lost audit line must not turn it into an error.
        log.error(`could not audit ${context.method.toUpperCase()} ${context.route}: ${errorMessage(err)}`);
      }
      return result;
    },
  };
}

/**
 * Bull Board for every queue under `/queues`, on the Nest app's Fastify instance, behind the admin
 * credential (HTTP Basic, so a browser can open it). Call after createApp and before listen.
 */
export async function mountBullBoard(app: NestFastifyApplication): Promise<void> {
  const credentials = app.get(AdminCredentials);
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: app
      .get(QueueRegistry)
      .all()
      .map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: {
      uiConfig: { boardTitle: 'Stockbridge queues' },
      handlerHooks: auditHooks(credentials, app.get(AuditLog), app.get(Db)),
    },
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  // An encapsulated scope: the hook guards the board's routes (pages, static files, API) and nothing else.
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', adminAuthHook(credentials));
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: BULL_BOARD_PATH },
  );
}
