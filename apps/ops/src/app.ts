import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/app-platform';
import { DeadLetterProblemMapper } from './infra/dead-letter-problem.mapper';
import metadata from './metadata';
import { OpsConfig } from './ops.config';
import { OpsModule } from './ops.module';
import { mountBullBoard } from './queues/bull-board';

/** How the app presents itself: one source for the running app and the OpenAPI generator. */
export function opsAppSpec(config: OpsConfig): AppSpec {
  return {
    name: 'ops',
    title: 'Stockbridge control plane',
    description:
      "The operators' API: list, inspect, replay and discard dead letters, " +
      'maintain the cross-references between backend codes and ours, read the audit log and the queues. Every change is ' +
      "recorded in the audit log with the operator's name. Callers present an admin token as `Authorization: Bearer <token>`, " +
      'or HTTP Basic with their name and token; Bull Board is served at /queues. Errors are application/problem+json (RFC 9457).',
    version: '2.0.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    edge: config.edge(),
    auth: { scheme: 'bearer', description: "An operator's admin token (OPS_ADMIN_TOKENS)" },
    problemMappers: [new DeadLetterProblemMapper()],
    swaggerMetadata: metadata,
  };
}

export const opsModule = (config: OpsConfig) => OpsModule.forRoot(config);

/** Builds the app without listening: used by main.ts and the e2e tests. */
export async function buildOpsApp(
  config: OpsConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  const app = await createApp(opsModule(config), { ...opsAppSpec(config), quiet: options.quiet });
  await mountBullBoard(app);
  return app;
}
