import { type DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health';
import { Metrics, MetricsController } from './metrics';

/** Controllers every app serves (docs/operations.md#health-and-metrics); the app provides its ReadinessProbe beside them. */
export const OPERATIONS_CONTROLLERS = [HealthController, MetricsController];

/** The app's Prometheus registry, global so any provider can add its own metrics. */
@Module({})
export class OperationsModule {
  static forRoot(app: string): DynamicModule {
    return {
      module: OperationsModule,
      global: true,
      providers: [{ provide: Metrics, useValue: new Metrics(app) }],
      exports: [Metrics],
    };
  }
}
