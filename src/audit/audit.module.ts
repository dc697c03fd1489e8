import { DynamicModule, Module, Type } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditSigningKey } from './audit-signing-key';
import { AuditSubjects } from './audit-subjects';
import { AuditTrailService } from './audit-trail.service';

/** Appending to the chains: what every module that records a change imports. */
@Module({
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}

/**
 * Reading the chains: search, verification, exports and checkpoints. `subjects` names the pairings,
 * people and organisations the chains are about; the composition root supplies it.
 */
@Module({})
export class AuditTrailModule {
  static forRoot(options: { imports: DynamicModule['imports']; subjects: Type<AuditSubjects> }): DynamicModule {
    return {
      module: AuditTrailModule,
      imports: options.imports,
      controllers: [AuditController],
      providers: [AuditTrailService, AuditRepository, AuditSigningKey, { provide: AuditSubjects, useExisting: options.subjects }],
      exports: [AuditTrailService, AuditSigningKey],
    };
  }
}
