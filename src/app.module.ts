import { randomUUID } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuditModule, AuditTrailModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AppConfig } from './config/config';
import { ClockModule } from './common/clock.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ENTITIES } from './entities';
import { CourtsModule } from './courts/courts.module';
import { HealthModule } from './health/health.module';
import { IdentityModule } from './identity/identity.module';
import { JobsModule } from './jobs/jobs.module';
import { LoggingModule } from './logging/logging.module';
import { OrganisationModule } from './organisation/organisation.module';
import { PairingsModule } from './pairings/pairings.module';
import { PracticeEvidence } from './practices/practice-evidence';
import { PracticesModule } from './practices/practices.module';
import { RedisModule } from './redis/redis.module';
import { ReportsModule } from './reports/reports.module';
import { SeedModule } from './seed/seed.module';
import { UsersModule } from './users/users.module';
import { DossierModule } from './dossier/dossier.module';
import { PairingNames, PairingNamesModule } from './dossier/pairing-names';
import { EnginePairingVisibility } from './workflow-engine/pairing-access';
import { WorkflowEngineModule } from './workflow-engine/workflow-engine.module';

/** Everything a log line must never show. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'accessToken',
  '*.accessToken',
];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot({
          pino: { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
          http: {
            requestId: (req, res) => {
              const incoming = req.headers['x-request-id'];
              const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
              res.setHeader('X-Request-Id', id);
              return id;
            },
            ignore: (req) => req.url === '/api/health',
          },
        }),
        DatabaseModule.forRoot(ENTITIES),
        ClockModule,
        IdentityModule,
        RedisModule,
        AuditModule,
        AuditTrailModule.forRoot({ imports: [PairingNamesModule], subjects: PairingNames }),
        AuthModule,
        UsersModule,
        CourtsModule,
        OrganisationModule,
        PairingsModule,
        AttachmentsModule.forRoot({
          imports: [WorkflowEngineModule, PracticesModule],
          visibility: EnginePairingVisibility,
          published: PracticeEvidence,
        }),
        ReportsModule,
        PracticesModule,
        DossierModule,
        JobsModule.forRoot(config),
        HealthModule,
        SeedModule,
      ],
    };
  }
}
