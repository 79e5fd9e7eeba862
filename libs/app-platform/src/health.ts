import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem } from './problem';

export interface ProbeResult {
  name: string;
  ok: boolean;
  detail?: string;
}

/** What an app checks before it says it is ready for traffic (database, Redis, configuration). */
export abstract class ReadinessProbe {
  abstract check(): Promise<ProbeResult[]>;
}

/** Runs a check with a deadline so that a hung dependency reports as down instead of hanging the probe. */
export async function probe(
  name: string,
  fn: () => Promise<string | void>,
  timeoutMs = 2_000,
): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { name, ok: true, ...(detail ? { detail } : {}) };
  } catch (err) {
    return { name, ok: false, detail: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessProbe) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'getLiveness',
    summary: 'Liveness: the process is up and serving HTTP',
    description: 'For the orchestrator: restart the process when this stops answering. Needs no credential.',
    security: [],
  })
  @ApiOkResponse({ description: 'Alive', schema: { example: { status: 'ok' } } })
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness: every dependency answers',
    description:
      'For the load balancer: send traffic only while this answers 200. A 503 problem (`not-ready`) lists the ' +
      'failing checks. Needs no credential.',
    security: [],
  })
  @ApiOkResponse({
    description: 'Ready',
    schema: { example: { status: 'ok', checks: [{ name: 'postgres', ok: true }] } },
  })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; `checks` says which' })
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const checks = await this.readiness.check();
    if (checks.every((c) => c.ok)) {
      await reply.status(200).send({ status: 'ok', checks });
      return;
    }
    const failing = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? 'down'}`);
    await reply
      .status(503)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problem(503, 'not-ready', failing.join('; '), { checks })));
  }
}
