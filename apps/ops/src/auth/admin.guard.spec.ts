import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { HealthController, MetricsController, ProblemError } from '@stockbridge/app-platform';
import type { AdminRequest } from './actor.decorator';
import { AdminGuard } from './admin.guard';
import { AdminCredentials } from './admin-credentials';

const TOKEN = 'alice-token-0123456789';

class SomeOpsController {}

/** The parts of a Fastify request and reply the guard touches. */
function call(controller: unknown, authorization?: string) {
  const request: { headers: Record<string, string | undefined> } & AdminRequest = {
    headers: { authorization },
  };
  const headers: Record<string, string> = {};
  const reply = {
    header(name: string, value: string) {
      headers[name] = value;
      return reply;
    },
  };
  const context = new ExecutionContextHost([request, reply], controller as never);
  return { context, request, headers };
}

describe('AdminGuard', () => {
  const guard = new AdminGuard(new AdminCredentials([{ name: 'alice', token: TOKEN }]));

  it('lets an operator with a valid token through and records the name as the actor', () => {
    const { context, request } = call(SomeOpsController, `Bearer ${TOKEN}`);
    expect(guard.canActivate(context)).toBe(true);
    expect(request.adminActor).toBe('alice');
  });

  it('answers 401 problem with a WWW-Authenticate challenge when the token is missing or wrong', () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789']) {
      const { context, request, headers } = call(SomeOpsController, authorization);
      let thrown: unknown;
      try {
        guard.canActivate(context);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ProblemError);
      expect((thrown as ProblemError).problem).toMatchObject({
        status: 401,
        type: expect.stringMatching(/unauthorized$/),
      });
      expect(headers['www-authenticate']).toBe('Bearer realm="stockbridge-ops"');
      expect(request.adminActor).toBeUndefined();
    }
  });

  it('leaves the health and metrics endpoints open for probes and scrapers', () => {
    expect(guard.canActivate(call(HealthController).context)).toBe(true);
    expect(guard.canActivate(call(MetricsController).context)).toBe(true);
  });
});
