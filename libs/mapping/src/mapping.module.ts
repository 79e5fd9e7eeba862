import {
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { Db } from '@stockbridge/persistence';
import type { PoolClient } from 'pg';
import { Mappings } from './mappings';

/** Drops the mapping cache as soon as another process changes a mapping (NOTIFY sb_mapping). */
@Injectable()
export class MappingCacheListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(MappingCacheListener.name);
  private client?: PoolClient;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly mappings: Mappings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  /** Before the pools close: a held LISTEN connection would keep the pool from ending. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    const c = this.client;
    this.client = undefined;
    if (c) {
      await c.query('UNLISTEN *').catch(() => undefined);
      c.release();
    }
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    try {
      const client = await this.db.pool.connect();
      client.on('notification', () => this.mappings.invalidate());
      client.on('error', () => {
        client.release(true);
        this.client = undefined;
        this.mappings.invalidate();
        if (!this.stopped) setTimeout(() => void this.listen(), 1000).unref();
      });
      await client.query('LISTEN sb_mapping');
      this.client = client;
      // Changes made while not listening are not missed.
      this.mappings.invalidate();
    } catch (err) {
      this.log.warn(`Could not listen for mapping changes yet: ${(err as Error).message}`);
      if (!this.stopped) setTimeout(() => void this.listen(), 1000).unref();
    }
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
