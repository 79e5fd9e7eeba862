import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';
import { Db } from './db';

export interface DatabaseModuleOptions {
  databaseUrl: string;
  poolSize: number;
  applicationName: string;
}

/** One connection pool per app: the TypeORM data source and the `Db` that shares its connections. */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot(
          dataSourceOptions({
            url: options.databaseUrl,
            poolSize: options.poolSize,
            applicationName: options.applicationName,
          }),
        ),
      ],
      providers: [
        { provide: Db, inject: [DataSource], useFactory: (ds: DataSource) => Db.fromDataSource(ds) },
      ],
      exports: [Db],
    };
  }
}
