import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { createDataSource, EntityList } from './data-source';
import { DatabaseService } from './database.service';
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
    DatabaseService,
  ],
  exports: [DataSource, DatabaseService],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The entities come from the composition root, so the platform imports no domain folder. */
  static forRoot(entities: EntityList): DynamicModule {
    return { module: DatabaseModule, providers: [{ provide: ENTITY_LIST, useValue: entities }] };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
