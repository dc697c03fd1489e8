import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';

/** One Clock for the whole application: events, audit stamps, jobs and reports read the same "now". */
@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
