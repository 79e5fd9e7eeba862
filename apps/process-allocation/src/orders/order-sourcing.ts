import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { distanceKm, type FulfilmentLine, type GeoPoint } from '@stockbridge/canonical';
import { OrderStock } from '@stockbridge/ledger';
import type { PoolClient } from 'pg';
import {
  FulfilmentSourcing,
  type LocationCandidate,
  type SourcingPlan,
} from '../sourcing/fulfilment-sourcing';
import { describeLines, type OrderContext } from './order';
import { moveOrderStock } from './order-movements';
import { OrderRepository } from './order.repository';

/** Units an order already holds per location and SKU (`${location}|${sku}` → units). */
export type HeldUnits = Map<string, number>;

export const heldKey = (location: string, sku: string) => `${location}|${sku}`;

/**
 * Sourcing an order's demand to fulfilment orders: the candidates of the channel's pool (stock, distance,
 * today's capacity), the policy's plan, and the fulfilment orders of a plan with their allocations.
 */
@Injectable()
export class OrderSourcing {
  constructor(
    private readonly orders: OrderRepository,
    private readonly policy: FulfilmentSourcing,
  ) {}

  /** The policy's plan for `demand` over the channel's pool, leaving out the `exclude`d locations. */
  async plan(
    sql: PoolClient,
    channel: string,
    demand: FulfilmentLine[],
    shipTo: GeoPoint | null,
    held: HeldUnits,
    exclude: Set<string>,
  ): Promise<SourcingPlan> {
    return this.policy.plan(demand, await this.candidates(sql, channel, demand, shipTo, held, exclude));
  }

  /**
   * Creates one fulfilment order per assignment and allocates its units: first from what the order holds
   * there (`held`, consumed as it goes), the rest from what is available. Returns what went where, in words.
   */
  async allocate(
    sql: PoolClient,
    assignments: SourcingPlan['assignments'],
    attempt: number,
    held: HeldUnits,
    ctx: OrderContext,
  ): Promise<string[]> {
    const placed: string[] = [];
    for (const a of assignments) {
      const foId = randomUUID();
      await this.orders.createFulfilmentOrder(sql, {
        id: foId,
        orderId: ctx.orderId,
        location: a.location,
        attempt,
        lines: a.lines,
      });
      for (const line of a.lines) {
        const key = heldKey(a.location, line.sku);
        const fromHeld = Math.min(line.quantity, held.get(key) ?? 0);
        if (fromHeld > 0) {
          held.set(key, (held.get(key) ?? 0) - fromHeld);
          await moveOrderStock(
            sql,
            {
              kind: 'allocate',
              sku: line.sku,
              location: a.location,
              quantity: fromHeld,
              sourceEventId: `fo:${foId}:allocate:${line.sku}`,
            },
            ctx,
          );
        }
        if (line.quantity > fromHeld) {
          await moveOrderStock(
            sql,
            {
              kind: 'allocate-available',
              sku: line.sku,
              location: a.location,
              quantity: line.quantity - fromHeld,
              sourceEventId: `fo:${foId}:allocate-available:${line.sku}`,
            },
            ctx,
          );
        }
      }
      placed.push(`${a.location} (${describeLines(a.lines)})`);
    }
    return placed;
  }

  /** Sourcing candidates: the channel's pool with stock per SKU, distance and today's remaining capacity. */
  private async candidates(
    sql: PoolClient,
    channel: string,
    demand: FulfilmentLine[],
    shipTo: GeoPoint | null,
    held: HeldUnits,
    exclude: Set<string>,
  ): Promise<LocationCandidate[]> {
    const locations = (await this.orders.pool(sql, channel)).filter((l) => !exclude.has(l.location));
    const stock = await OrderStock.availability(
      sql,
      demand.map((d) => d.sku),
      locations.map((l) => l.location),
    );
    return locations.map((l) => {
      const perSku = new Map<string, number>();
      for (const d of demand) {
        perSku.set(
          d.sku,
          (stock.get(l.location)?.get(d.sku) ?? 0) + (held.get(heldKey(l.location, d.sku)) ?? 0),
        );
      }
      return {
        location: l.location,
        type: l.type,
        priority: l.priority,
        distanceKm:
          shipTo && l.latitude !== null && l.longitude !== null
            ? distanceKm(shipTo, { latitude: l.latitude, longitude: l.longitude })
            : null,
        capacityLeft: l.capacityLeft,
        stock: perSku,
      };
    });
  }
}
