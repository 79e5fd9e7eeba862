import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';

/** Structured JSON logs with the correlation id of the request on every line. */
export function loggingModule(app: string, level: string) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      base: { app },
      genReqId: (req: IncomingMessage & { id?: string }) => req.id ?? '',
      customAttributeKeys: { reqId: 'correlationId' },
      // Request lines at debug: at info they would cost a large share of a checkout call's budget.
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'debug'),
      redact: ['req.headers.authorization', 'req.headers["x-service-token"]', 'req.headers["x-api-key"]'],
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      },
    },
  });
}
