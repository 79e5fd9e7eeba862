import type { Reservations } from '@stockbridge/ledger';
import { Inbox } from '@stockbridge/messaging';
import type { Db } from '@stockbridge/persistence';
import type { FulfilmentSourcing } from '../sourcing/fulfilment-sourcing';
import { FulfilmentReportService } from './fulfilment-report.service';
import { FulfilmentRequests } from './fulfilment-requests';
import { OrderCancellationService } from './order-cancellation.service';
import { OrderPlacementService } from './order-placement.service';
import { OrderSettlementService } from './order-settlement.service';
import { OrderSourcing } from './order-sourcing';
import { OrderRepository } from './order.repository';
import { OrdersService } from './orders.service';

/** The order workflows of the app. */
export interface OrderServices {
  placement: OrderPlacementService;
  reports: FulfilmentReportService;
  cancellation: OrderCancellationService;
  settlement: OrderSettlementService;
  orders: OrdersService;
}

/**
 * The order workflows wired by hand, as the module wires them, for code that drives them without Nest
 * (integration and property tests over a real database).
 */
export function orderServices(db: Db, reservations: Reservations, policy: FulfilmentSourcing): OrderServices {
  const repository = new OrderRepository(db);
  const requests = new FulfilmentRequests(repository);
  const sourcing = new OrderSourcing(repository, policy);
  const cancellation = new OrderCancellationService(db, repository, requests);
  const settlement = new OrderSettlementService(db, repository);
  return {
    placement: new OrderPlacementService(db, new Inbox(db), reservations, repository, sourcing, requests),
    reports: new FulfilmentReportService(db, repository, sourcing, requests, cancellation, settlement),
    cancellation,
    settlement,
    orders: new OrdersService(db, repository, cancellation),
  };
}
