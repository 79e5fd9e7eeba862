import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@stockbridge/persistence';
import { Availability } from './availability';
import { Catalog } from './catalog';
import { BufferedChannelAvailability, ChannelAvailabilityStrategy } from './channel-availability.strategy';
import { Db } from './db';
import { LedgerFaults, NoLedgerFaults } from './ledger-faults';
import { Movements } from './movements';
import { Reservations } from './reservations';
import { SingleLocationFirstSourcing, SourcingStrategy } from './sourcing.strategy';
import { StockExceptions } from './stock-exceptions';
import { StoreStock } from './store-stock';
import { StoreTransactions } from './store-transactions';

export interface LedgerModuleOptions {
  databaseUrl: string;
  poolSize: number;
  applicationName: string;
  /** What happens at the ledger's fault points: nothing by default; a crash hook in the chaos tests. */
  faults?: LedgerFaults;
}

/** The ledger's operations as Nest providers; strategies are overridable by providing another class. */
@Module({})
export class LedgerModule {
  static forRoot(options: LedgerModuleOptions): DynamicModule {
    return {
      module: LedgerModule,
      global: true,
      imports: [DatabaseModule.forRoot(options)],
      providers: [
        { provide: SourcingStrategy, useClass: SingleLocationFirstSourcing },
        { provide: ChannelAvailabilityStrategy, useClass: BufferedChannelAvailability },
        { provide: LedgerFaults, useValue: options.faults ?? new NoLedgerFaults() },
        { provide: Catalog, inject: [Db], useFactory: (db: Db) => new Catalog(db) },
        {
          provide: Reservations,
          inject: [Db, Catalog, SourcingStrategy, LedgerFaults],
          useFactory: (db: Db, c: Catalog, s: SourcingStrategy, f: LedgerFaults) =>
            new Reservations(db, c, s, f),
        },
        { provide: Movements, inject: [Db], useFactory: (db: Db) => new Movements(db) },
        {
          provide: Availability,
          inject: [Db, Catalog, ChannelAvailabilityStrategy],
          useFactory: (db: Db, c: Catalog, s: ChannelAvailabilityStrategy) => new Availability(db, c, s),
        },
        { provide: StoreTransactions, inject: [Db], useFactory: (db: Db) => new StoreTransactions(db) },
        {
          provide: StoreStock,
          inject: [Db, Catalog, Availability],
          useFactory: (db: Db, c: Catalog, a: Availability) => new StoreStock(db, c, a),
        },
        { provide: StockExceptions, inject: [Db], useFactory: (db: Db) => new StockExceptions(db) },
      ],
      exports: [
        DatabaseModule,
        Catalog,
        Reservations,
        Movements,
        Availability,
        StoreTransactions,
        StoreStock,
        StockExceptions,
        SourcingStrategy,
        ChannelAvailabilityStrategy,
      ],
    };
  }
}
