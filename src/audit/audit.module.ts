import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditSigningKey } from './audit-signing-key';
import { AuditTrailService } from './audit-trail.service';

@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditTrailService, AuditRepository, AuditSigningKey],
  exports: [AuditService],
})
export class AuditModule {}
