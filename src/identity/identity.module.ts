import { Global, Module } from '@nestjs/common';
import { CourtDirectory } from './court-directory';

/** The courts as every module reads them. */
@Global()
@Module({ providers: [CourtDirectory], exports: [CourtDirectory] })
export class IdentityModule {}
