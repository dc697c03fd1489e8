import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { localParts, quarterOf } from '../../workflows';
import { Clock, dateIn } from '../common/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/** The court's calendar: screens show times in it and judge "today" by it, never by the browser's clock. */
@ApiTags('organisation')
@ApiBearerAuth()
@Controller('calendar')
export class CalendarController {
  constructor(
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'APP_TIMEZONE, its UTC offset now, and today’s date and quarter in it' })
  calendar() {
    const now = this.clock.now();
    const today = dateIn(this.config.timezone, now);
    return {
      timezone: this.config.timezone,
      utcOffset: localParts(now, this.config.timezone).zone,
      today,
      year: Number(today.slice(0, 4)),
      quarter: quarterOf(today),
    };
  }
}
