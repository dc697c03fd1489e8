import { Global, Module } from '@nestjs/common';
import { CourtDirectory } from './court-directory';
import { CourtScopes } from './court-scopes';

/** The courts as every module reads them. */
@Global()
@Module({ providers: [CourtDirectory, CourtScopes], exports: [CourtDirectory, CourtScopes] })
export class IdentityModule {}
