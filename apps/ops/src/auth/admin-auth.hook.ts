import { problem, sendProblem } from '@stockbridge/app-platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminRequest } from './actor.decorator';
import type { AdminCredentials } from './admin-credentials';
import { ADMIN_REALM } from './admin.guard';

/**
 * The admin check for routes Nest does not own (Bull Board): a Fastify `onRequest` hook. It asks for HTTP
 * Basic, so a browser opening the board prompts for the operator's name and token.
 */
export function adminAuthHook(credentials: AdminCredentials) {
  return async (
    request: FastifyRequest & AdminRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply | void> => {
    const actor = credentials.authenticate(request.headers.authorization);
    if (actor !== null) {
      request.adminActor = actor;
      return;
    }
    void reply.header('www-authenticate', `Basic realm="${ADMIN_REALM}", charset="UTF-8"`);
    sendProblem(
      reply,
      request,
      problem(
        401,
        'unauthorized',
        'The queue board requires an admin credential: HTTP Basic with your name and token.',
      ),
    );
    return reply;
  };
}
