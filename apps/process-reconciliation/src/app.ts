import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppSpec, createApp } from '@stockbridge/app-platform';
import { ReconciliationProblemMapper } from './infra/reconciliation-problem.mapper';
import metadata from './metadata';
import { ProcessReconciliationConfig } from './process-reconciliation.config';
import { ProcessReconciliationModule } from './process-reconciliation.module';

export function processReconciliationAppSpec(config: ProcessReconciliationConfig): AppSpec {
  return {
    name: 'process-reconciliation',
    title: 'Stockbridge process API: reconciliation',
    description:
      "Internal process API: reconciliation runs compare the ERP's and the WMS's on hand (through the system " +
      'APIs), the ledger and what each channel was last sent; variance is stored per SKU and location, exceptions are ranked by ' +
      "revenue exposure and each location's policy corrects the ledger with journaled movements. Callers use the service token.",
    version: '2.0.0',
    bodyLimit: config.BODY_LIMIT_BYTES,
    edge: config.edge(),
    auth: { scheme: 'bearer', description: 'The service token shared by the platform layers' },
    problemMappers: [new ReconciliationProblemMapper()],
    swaggerMetadata: metadata,
  };
}

export const processReconciliationModule = (config: ProcessReconciliationConfig) =>
  ProcessReconciliationModule.forRoot(config);

export async function buildProcessReconciliationApp(
  config: ProcessReconciliationConfig,
  options: { quiet?: boolean } = {},
): Promise<NestFastifyApplication> {
  return createApp(processReconciliationModule(config), {
    ...processReconciliationAppSpec(config),
    quiet: options.quiet,
  });
}
