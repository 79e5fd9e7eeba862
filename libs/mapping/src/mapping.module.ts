import {
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { Db, PgListener } from '@stockbridge/persistence';
import { Mappings } from './mappings';

/**
 * Drops the mapping cache as soon as another process changes a mapping (NOTIFY sb_mapping). The subscription
 * outlives a PostgreSQL restart (PgListener subscribes again), and the cache is dropped each time it is
 * (re)established, so changes made while not listening are not missed.
 */
@Injectable()
export class MappingCacheListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly listener: PgListener;

  constructor(db: Db, mappings: Mappings) {
    const invalidate = () => mappings.invalidate();
    this.listener = new PgListener(db.pool, 'sb_mapping', { onNotify: invalidate, onSubscribed: invalidate });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  /** Before the pools close: a held LISTEN connection would keep the pool from ending. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.listener.stop();
  }
}

/** Cross-references for system apps and the ops API. Needs a `Db` in the app (DatabaseModule). */
@Module({
  providers: [
    { provide: Mappings, inject: [Db], useFactory: (db: Db) => new Mappings(db) },
    MappingCacheListener,
  ],
  exports: [Mappings],
})
export class MappingModule {}
