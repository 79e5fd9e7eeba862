import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  type FulfilmentReportedPayload,
  type FulfilmentRequestedPayload,
  isUuid,
} from '@stockbridge/canonical';
import {
  backendAuth,
  BackendGuard,
  BackendHttp,
  guardOptions,
  type OnHandSnapshot,
  verifyWebhook,
} from '@stockbridge/integration';
import { Mappings, UnmappedError } from '@stockbridge/mapping';
import { PermanentError } from '@stockbridge/messaging';
import { type StockMovement, type WmsInboundEvent, WmsPort, type WmsTranslation } from '../wms.port';
import { SystemWmsConfig } from '../system-wms.config';

const EVENT_TYPES = [
  'RECEIPT',
  'PICK',
  'SHIPMENT',
  'ADJUSTMENT',
  'CYCLE_COUNT',
  'TRANSFER',
  'SHORT_PICK',
] as const;
type NativeEventType = (typeof EVENT_TYPES)[number];

/** The sandbox WMS's webhook body; for SHORT_PICK `qty` is what could not be found for `orderRef`. */
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

/** An error body of the sandbox WMS, e.g. `{"error":"ALREADY_SHIPPED","message":"..."}`. */
interface NativeError {
  error?: unknown;
  message?: unknown;
}

interface NativePage<T> {
  page: number;
  totalPages: number;
  items: T[];
}

const CODE = /^[A-Za-z0-9._-]{1,64}$/;

export function parseNativeEvent(body: unknown): NativeEvent {
  const b = body as Partial<NativeEvent> | null;
  const problems: string[] = [];
  if (!b || typeof b !== 'object') throw new Error('body is not a JSON object');
  if (typeof b.eventId !== 'string' || !isUuid(b.eventId)) problems.push('eventId must be a UUID');
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
  if (b.orderRef !== undefined && (typeof b.orderRef !== 'string' || b.orderRef === ''))
    problems.push('orderRef must be a non-empty string');
  if (b.eventType === 'SHORT_PICK' && b.orderRef === undefined)
    problems.push('orderRef is required for SHORT_PICK');
  if (problems.length > 0) throw new Error(problems.join('; '));
  return b as NativeEvent;
}

/**
 * Whether an order reference is one of our fulfilment order ids (a UUID, as `release` sent it) rather than
 * an order the WMS got elsewhere (an OMS order number picked by hand).
 */
export function isFulfilmentOrderRef(orderRef: string | undefined): orderRef is string {
  return orderRef !== undefined && isUuid(orderRef);
}

/**
 * The sandbox WMS: warehouse and item codes of its own, quantities in cases or eaches, signed webhooks for
 * receipts, picks, shipments, short picks, adjustments, cycle counts and transfers, and outbound orders
 * keyed by our fulfilment order id.
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
    this.http = new BackendHttp(
      'wms',
      config.BACKEND_URL,
      config.BACKEND_CONNECTIONS,
      backendAuth('wms', config),
    );
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

  async translate(event: WmsInboundEvent): Promise<WmsTranslation> {
    const e = parseNativeEvent(event.body);
    const sku = await this.map(() => this.mappings.sku(this.system, e.itemCode));
    const eaches = await this.map(() => this.mappings.toEaches(this.system, sku, e.qty, e.uom));
    const report = (kind: FulfilmentReportedPayload['kind'], orderRef: string): WmsTranslation => ({
      movements: [],
      reports: [
        {
          kind,
          fulfilmentOrderId: orderRef,
          lines: [{ sku, quantity: eaches }],
          sourceEventId: e.eventId,
          detail: e.reasonCode ?? null,
        },
      ],
    });
    // Units leaving for one of our fulfilment orders: process-allocation turns the report into the ledger's
    // shipment of what the order holds, so a 'ship' movement here would take them off twice.
    if (e.eventType === 'SHIPMENT' && isFulfilmentOrderRef(e.orderRef)) return report('shipped', e.orderRef);
    if (e.eventType === 'SHORT_PICK') {
      // A short pick of an order we did not release is for whoever did; its missing units surface in
      // reconciliation against the on-hand snapshot, as any unexplained drift does.
      return isFulfilmentOrderRef(e.orderRef)
        ? report('short-picked', e.orderRef)
        : { movements: [], reports: [] };
    }
    const location = await this.map(() => this.mappings.location(this.system, e.warehouse));
    return { movements: await this.movements(e, sku, location, eaches), reports: [] };
  }

  private async movements(
    e: NativeEvent,
    sku: string,
    location: string,
    eaches: number,
  ): Promise<StockMovement[]> {
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
      case 'SHORT_PICK':
        // Picked units are still on hand until they ship; allocation follows picks (process-allocation).
        return [];
    }
  }

  async release(request: FulfilmentRequestedPayload): Promise<void> {
    const warehouse = await this.map(() => this.mappings.externalLocation(this.system, request.location));
    const lines = await Promise.all(
      request.lines.map(async (l) => ({
        itemCode: await this.map(() => this.mappings.externalSku(this.system, l.sku)),
        qty: l.quantity,
        uom: 'EA',
      })),
    );
    // 201 released, 200 released before: either way the order is in the WMS.
    await this.guard.call((signal) =>
      this.http.request('POST', '/wms/api/outbound-orders', {
        body: { orderRef: request.fulfilmentOrderId, warehouse, lines },
        signal,
      }),
    );
  }

  async cancel(fulfilmentOrderId: string): Promise<'cancelled' | 'refused'> {
    try {
      await this.guard.call((signal) =>
        this.http.request(
          'POST',
          `/wms/api/outbound-orders/${encodeURIComponent(fulfilmentOrderId)}/cancel`,
          { signal },
        ),
      );
      return 'cancelled';
    } catch (err) {
      if (!(err instanceof PermanentError)) throw err;
      const status = err.details.status;
      const body = (err.details.body ?? {}) as NativeError;
      if (status === 409 && body.error === 'ALREADY_SHIPPED') return 'refused';
      // The release may still be queued or retrying behind this cancellation: retried with the queue's
      // backoff (its attempts run out, into the dead letters, if the release never lands).
      if (status === 404)
        throw new Error(`The WMS does not know fulfilment order ${fulfilmentOrderId} (not released yet?)`, {
          cause: err,
        });
      throw err;
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
