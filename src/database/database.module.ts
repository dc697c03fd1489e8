import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { createDataSource, createSqliteReader, EntityList } from './data-source';
import { DatabaseService, SQLITE_READER } from './database.service';
import { bindIntegersAsParameters } from './sqlite-bound-integers';

const ENTITY_LIST = Symbol('ENTITY_LIST');

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG, ENTITY_LIST],
      useFactory: async (config: AppConfig, entities: EntityList) => {
        const dataSource = createDataSource(config, entities);
        await dataSource.initialize();
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        if (applied.length) new Logger('Database').log(`Applied ${applied.length} migration(s) on ${config.database.engine}`);
        bindIntegersAsParameters(dataSource);
        return dataSource;
      },
    },
    {
      provide: SQLITE_READER,
      inject: [APP_CONFIG, ENTITY_LIST, DataSource],
      useFactory: async (config: AppConfig, entities: EntityList, writer: DataSource) => {
        const reader = createSqliteReader(config, entities);
        if (!reader) return null;
        await reader.initialize();
        bindIntegersAsParameters(reader);
        // One logger for both connections, so whoever watches the statements (logs, `npm run bench`) sees them all.
        (reader as { logger: DataSource['logger'] }).logger = writer.logger;
        return reader;
      },
    },
    DatabaseService,
  ],
  exports: [DataSource, DatabaseService],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SQLITE_READER) private readonly reader: DataSource | null,
  ) {}

  /** The entities come from the composition root, so the platform imports no domain folder. */
  static forRoot(entities: EntityList): DynamicModule {
    return { module: DatabaseModule, providers: [{ provide: ENTITY_LIST, useValue: entities }] };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.reader?.isInitialized) await this.reader.destroy();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
