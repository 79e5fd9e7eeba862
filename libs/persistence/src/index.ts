export * from './data-source';
export * from './databases';
export * from './db';
export * from './database.module';
export * from './pool-errors';
export * from './pg-listener';
