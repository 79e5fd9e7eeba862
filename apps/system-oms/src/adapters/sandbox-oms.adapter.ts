import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { BackendGuard, BackendHttp, guardOptions } from '@stockbridge/integration';
import { type OmsOrder, OmsPort } from '../oms.port';
import { SystemOmsConfig } from '../system-oms.config';

interface NativeOrder {
  orderId: string;
  orderRef: string;
  status: string;
}

/** The sandbox OMS's native API (its own order ids and statuses; it keys orders by our reference). */
@Injectable()
export class SandboxOmsAdapter extends OmsPort implements OnApplicationShutdown {
  private readonly http: BackendHttp;
  private readonly guard: BackendGuard;

  constructor(config: SystemOmsConfig) {
    super();
    this.http = new BackendHttp('oms', config.BACKEND_URL, config.BACKEND_CONNECTIONS);
    this.guard = new BackendGuard('oms', guardOptions(config));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }

  circuit(): string {
    return this.guard.state;
  }

  async createOrder(order: OmsOrder): Promise<{ omsOrderId: string; duplicate: boolean }> {
    // The OMS holds the commerce catalogue, so it speaks our SKUs; its ids and statuses are its own.
    const res = await this.guard.call((signal) =>
      this.http.request<NativeOrder>('POST', '/oms/api/orders', {
        body: {
          orderRef: order.reference,
          channel: order.channel,
          lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        },
        signal,
      }),
    );
    return { omsOrderId: res.body.orderId, duplicate: res.status === 200 };
  }
}
