import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { createDataSource } from './data-source';
import { DatabaseService } from './database.service';
import { bindIntegersAsParameters } from './sqlite-bound-integers';

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const dataSource = createDataSource(config);
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

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
