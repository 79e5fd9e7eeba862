import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  BackendGuard,
  BackendHttp,
  guardOptions,
  type OnHandSnapshot,
  verifyWebhook,
} from '@stockbridge/integration';
import { Mappings, UnmappedError } from '@stockbridge/mapping';
import { PermanentError } from '@stockbridge/messaging';
import { type StockMovement, type WmsInboundEvent, WmsPort } from '../wms.port';
import { SystemWmsConfig } from '../system-wms.config';

const EVENT_TYPES = ['RECEIPT', 'PICK', 'SHIPMENT', 'ADJUSTMENT', 'CYCLE_COUNT', 'TRANSFER'] as const;
type NativeEventType = (typeof EVENT_TYPES)[number];

/** The sandbox WMS's webhook body. */
interface NativeEvent {
  eventId: string;
  eventType: NativeEventType;
  sequence: number;
  occurredAt: string;
  warehouse: string;
  itemCode: string;
  qty: number;
  uom: string;
  toWarehouse?: string;
  reasonCode?: string;
  orderRef?: string;
}

interface NativePage<T> {
  page: number;
  totalPages: number;
  items: T[];
}

const CODE = /^[A-Za-z0-9._-]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseNativeEvent(body: unknown): NativeEvent {
  const b = body as Partial<NativeEvent> | null;
  const problems: string[] = [];
  if (!b || typeof b !== 'object') throw new Error('body is not a JSON object');
  if (typeof b.eventId !== 'string' || !UUID.test(b.eventId)) problems.push('eventId must be a UUID');
  if (!EVENT_TYPES.includes(b.eventType as NativeEventType))
    problems.push(`eventType must be one of ${EVENT_TYPES.join(', ')}`);
  if (typeof b.occurredAt !== 'string' || Number.isNaN(Date.parse(b.occurredAt)))
    problems.push('occurredAt must be an ISO date');
  if (typeof b.warehouse !== 'string' || !CODE.test(b.warehouse))
    problems.push('warehouse is missing or malformed');
  if (typeof b.itemCode !== 'string' || !CODE.test(b.itemCode))
    problems.push('itemCode is missing or malformed');
  if (!Number.isSafeInteger(b.qty)) problems.push('qty must be an integer');
  if (typeof b.uom !== 'string' || !/^[A-Z]{1,8}$/.test(b.uom)) problems.push('uom is missing or malformed');
  if (b.eventType === 'TRANSFER' && (typeof b.toWarehouse !== 'string' || !CODE.test(b.toWarehouse)))
    problems.push('toWarehouse is required for TRANSFER');
  if (problems.length > 0) throw new Error(problems.join('; '));
  return b as NativeEvent;
}

/**
 * The sandbox WMS: warehouse and item codes of its own, quantities in cases or eaches, signed webhooks for
 * receipts, picks, shipments, adjustments, cycle counts and transfers.
 */
@Injectable()
export class SandboxWmsAdapter extends WmsPort implements OnApplicationShutdown {
  readonly system = 'wms';
  private readonly http: BackendHttp;
  private readonly guard: BackendGuard;
  private readonly secrets: string[];

  constructor(
    private readonly config: SystemWmsConfig,
    private readonly mappings: Mappings,
  ) {
    super();
    this.http = new BackendHttp('wms', config.BACKEND_URL, config.BACKEND_CONNECTIONS);
    this.guard = new BackendGuard('wms', guardOptions(config));
    this.secrets = config.WMS_WEBHOOK_SECRETS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }

  circuit(): string {
    return this.guard.state;
  }

  verify(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): string | null {
    const header = headers['x-wms-signature'];
    const check = verifyWebhook(rawBody, Array.isArray(header) ? header[0] : header, this.secrets, {
      toleranceSeconds: this.config.WMS_SIGNATURE_TOLERANCE_SECONDS,
    });
    return check.ok ? null : check.reason;
  }

  parse(body: unknown): WmsInboundEvent {
    const e = parseNativeEvent(body);
    return { eventId: e.eventId, occurredAt: e.occurredAt, body: e };
  }

  async movements(event: WmsInboundEvent): Promise<StockMovement[]> {
    const e = parseNativeEvent(event.body);
    const sku = await this.map(() => this.mappings.sku(this.system, e.itemCode));
    const location = await this.map(() => this.mappings.location(this.system, e.warehouse));
    const eaches = await this.map(() => this.mappings.toEaches(this.system, sku, e.qty, e.uom));
    const base = { sku, location, reason: e.reasonCode ?? null, sourceEventId: e.eventId };
    switch (e.eventType) {
      case 'RECEIPT':
        return [{ ...base, movementType: 'receive', quantity: eaches }];
      case 'SHIPMENT':
        return [{ ...base, movementType: 'ship', quantity: eaches }];
      case 'ADJUSTMENT':
        return [{ ...base, movementType: 'adjust', quantity: eaches }];
      case 'CYCLE_COUNT':
        return [{ ...base, movementType: 'count', quantity: eaches }];
      case 'TRANSFER': {
        const to = await this.map(() => this.mappings.location(this.system, e.toWarehouse!));
        return [
          { ...base, movementType: 'transfer-out', quantity: eaches, sourceEventId: `${e.eventId}:out` },
          {
            ...base,
            location: to,
            movementType: 'transfer-in',
            quantity: eaches,
            sourceEventId: `${e.eventId}:in`,
          },
        ];
      }
      case 'PICK':
        // Picked units are still on hand until they ship; allocation follows picks (process-allocation).
        return [];
    }
  }

  async onHandSnapshot(location?: string): Promise<OnHandSnapshot> {
    const warehouse = location
      ? await this.map(() => this.mappings.externalLocation(this.system, location))
      : undefined;
    const snapshot: OnHandSnapshot = { takenAt: new Date().toISOString(), rows: [], unmapped: [] };
    for (let page = 1; ; page++) {
      const query = new URLSearchParams({
        page: String(page),
        pageSize: '500',
        ...(warehouse ? { warehouse } : {}),
      });
      const res = await this.guard.call((signal) =>
        this.http.request<NativePage<{ warehouse: string; itemCode: string; qtyEach: number }>>(
          'GET',
          `/wms/api/inventory?${query}`,
          { signal },
        ),
      );
      for (const r of res.body.items) {
        try {
          snapshot.rows.push({
            sku: await this.mappings.sku(this.system, r.itemCode),
            location: await this.mappings.location(this.system, r.warehouse),
            onHand: r.qtyEach,
          });
        } catch (err) {
          if (!(err instanceof UnmappedError)) throw err;
          snapshot.unmapped.push({ item: r.itemCode, site: r.warehouse, onHand: r.qtyEach });
        }
      }
      if (page >= res.body.totalPages) break;
    }
    return snapshot;
  }

  private async map<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof UnmappedError)
        throw new PermanentError('unmapped', err.message, {
          system: err.system,
          what: err.what,
          code: err.code,
        });
      throw err;
    }
  }
}
