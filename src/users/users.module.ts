import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BranchMembersController, UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [AuditModule],
  controllers: [UsersController, BranchMembersController],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
