import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { OutboxStatus } from '../outbox/outbox.status';
import { HealthController } from './health.controller';

@Module({
  // Outages are logged once each where they are met (database, Redis), not once per failed probe.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [OutboxStatus],
})
export class HealthModule {}
