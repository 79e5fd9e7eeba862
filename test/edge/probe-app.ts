import {
  type BeforeApplicationShutdown,
  Body,
  Controller,
  Get,
  Injectable,
  Module,
  Post,
  type RawBodyRequest,
  Req,
} from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  type AppSpec,
  createApp,
  OPERATIONS_CONTROLLERS,
  OperationsModule,
  ReadinessProbe,
} from '@stockbridge/app-platform';
import type { FastifyRequest } from 'fastify';

/** Holds the app's shutdown until the test opens the gate, like a pool that takes its time to drain. */
@Injectable()
export class ShutdownGate implements BeforeApplicationShutdown {
  private open!: () => void;
  readonly opened = new Promise<void>((resolve) => (this.open = resolve));
  reached = false;

  release(): void {
    this.open();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.reached = true;
    await this.opened;
  }
}

/** Echoes what the edge let through: the parsed body and the raw bytes it was parsed from. */
@Controller('v1/echo')
class EchoController {
  @Post()
  echo(@Body() body: unknown, @Req() request: RawBodyRequest<FastifyRequest>): unknown {
    return { body, raw: request.rawBody?.toString('utf8') ?? null };
  }

  @Get()
  ping(): { ok: boolean } {
    return { ok: true };
  }
}

class AlwaysReady extends ReadinessProbe {
  check() {
    return Promise.resolve([]);
  }
}

@Module({
  imports: [OperationsModule.forRoot('probe')],
  controllers: [...OPERATIONS_CONTROLLERS, EchoController],
  providers: [ShutdownGate, { provide: ReadinessProbe, useClass: AlwaysReady }],
})
class ProbeModule {}

/** A minimal app built by createApp like every app of the platform (no database, no Redis). */
export async function startProbeApp(edge: Partial<AppSpec['edge']> = {}): Promise<NestFastifyApplication> {
  const app = await createApp(ProbeModule, {
    name: 'probe',
    title: 'probe',
    description: 'an app with an echo route',
    version: '1.0.0',
    bodyLimit: 64 * 1024,
    auth: { scheme: 'bearer', description: 'none' },
    quiet: true,
    rawBody: true,
    edge: { swaggerUi: false, openApiJson: false, metrics: true, maxJsonDepth: 32, ...edge },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}
