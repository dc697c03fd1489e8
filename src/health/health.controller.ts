import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { DatabaseService } from '../database/database.service';
import { databaseUnavailable } from '../database/outage';
import { Public } from '../identity/roles.decorator';
import { OutboxStatus } from '../outbox/outbox.status';
import { REDIS } from '../redis/redis.module';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly db: DatabaseService,
    private readonly outbox: OutboxStatus,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  @ApiOperation({
    summary: '200 when the database (and Redis, when configured) answer; `degraded` (still 200) when outbox rows are parked',
  })
  check() {
    const checks: HealthIndicatorFunction[] = [
      () =>
        this.indicator
          .check('database')
          .attempt(async () => {
            try {
              // Straight on the connection: the health check never queues behind SQLite's writers.
              await this.db.dataSource.query('SELECT 1');
              this.db.status.answered();
            } catch (error) {
              if (databaseUnavailable(error)) this.db.status.failed(error);
              throw error;
            }
          })
          .withTimeout(3000),
      async () => {
        const session = this.indicator.check('outbox');
        try {
          const summary = await this.outbox.summary();
          return summary.parked
            ? session.degraded({
                ...summary,
                message: `${summary.parked} outbox row(s) parked after repeated failures: see GET /api/jobs/outbox`,
              })
            : session.up({ ...summary });
        } catch {
          return session.down({ message: 'The outbox cannot be read.' });
        }
      },
    ];
    const redis = this.redis;
    if (redis) {
      checks.push(() =>
        this.indicator
          .check('redis')
          .attempt(async () => {
            if (redis.status === 'wait') await redis.connect();
            await redis.ping();
          })
          .withTimeout(3000),
      );
    }
    return this.health.check(checks);
  }
}
