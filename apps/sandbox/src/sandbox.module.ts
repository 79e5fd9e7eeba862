import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import {
  loggingModule,
  OPERATIONS_CONTROLLERS,
  OperationsModule,
  ReadinessProbe,
} from '@stockbridge/app-platform';
import { AdminController } from './admin/admin.controller';
import { NativeAuthGuard, SandboxAdminGuard, SandboxAuth } from './auth/sandbox-auth';
import { TokenController } from './auth/token.controller';
import { ErpAdminController } from './erp/erp-admin.controller';
import { ErpController } from './erp/erp.controller';
import { ErpService } from './erp/erp.service';
import { JournalService } from './erp/journal.service';
import { FaultGuard } from './faults/native-api.decorator';
import { FaultInjector } from './faults/fault-injector.service';
import { SandboxReadiness } from './infra/readiness';
import { SandboxDb } from './infra/sandbox-db';
import { EbayCallLimitGuard, EbayCallLimits } from './marketplace/ebay-call-limits';
import { FulfillmentController } from './marketplace/fulfillment.controller';
import { InventoryController } from './marketplace/inventory.controller';
import { InventoryService } from './marketplace/inventory.service';
import { MarketplaceAdminController } from './marketplace/marketplace-admin.controller';
import { MarketplaceOrdersService } from './marketplace/marketplace-orders.service';
import { PostOrderController } from './marketplace/post-order.controller';
import { OmsController } from './oms/oms.controller';
import { OmsService } from './oms/oms.service';
import { SandboxConfig } from './sandbox.config';
import { OutboundOrderController } from './wms/outbound-orders.controller';
import { OutboundOrderService } from './wms/outbound-orders.service';
import { WebhookDispatcher } from './wms/webhook-dispatcher.service';
import { WmsAdminController } from './wms/wms-admin.controller';
import { WmsController } from './wms/wms.controller';
import { WmsService } from './wms/wms.service';

@Injectable()
class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(SandboxDb) private readonly db: SandboxDb) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}

/**
 * Stand-in ERP, WMS, OMS and marketplace with their own native APIs and fault injection (docs/architecture.md#layers,
 * stand-ins). Each keeps its state in its own PostgreSQL schema.
 */
@Module({})
export class SandboxModule {
  static forRoot(config: SandboxConfig): DynamicModule {
    return {
      module: SandboxModule,
      imports: [loggingModule('sandbox', config.LOG_LEVEL), OperationsModule.forRoot('sandbox')],
      controllers: [
        ...OPERATIONS_CONTROLLERS,
        AdminController,
        TokenController,
        ErpAdminController,
        WmsAdminController,
        MarketplaceAdminController,
        ErpController,
        WmsController,
        OutboundOrderController,
        OmsController,
        InventoryController,
        FulfillmentController,
        PostOrderController,
      ],
      providers: [
        { provide: SandboxConfig, useValue: config },
        {
          provide: SandboxDb,
          // Creates the schemas before anything else can use them.
          useFactory: () =>
            SandboxDb.connect({ databaseUrl: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE }),
        },
        PoolCloser,
        { provide: ReadinessProbe, useClass: SandboxReadiness },
        SandboxAuth,
        SandboxAdminGuard,
        NativeAuthGuard,
        FaultInjector,
        FaultGuard,
        ErpService,
        JournalService,
        WmsService,
        OutboundOrderService,
        WebhookDispatcher,
        OmsService,
        EbayCallLimits,
        EbayCallLimitGuard,
        InventoryService,
        MarketplaceOrdersService,
      ],
    };
  }
}
