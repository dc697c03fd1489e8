import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BranchesController, PartnersController } from './organisation.controller';
import { CalendarController } from './calendar.controller';
import { OrganisationService } from './organisation.service';

@Module({
  imports: [AuditModule],
  controllers: [BranchesController, PartnersController, CalendarController],
  providers: [OrganisationService],
  exports: [OrganisationService],
})
export class OrganisationModule {}
