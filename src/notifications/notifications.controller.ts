import { Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { IdPipe } from '../common/id.pipe';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CurrentUser, RequestUser } from '../identity/current-user.decorator';
import { readerLanguage } from './notification-text';
import { NotificationsService } from './notifications.service';

export class ListNotificationsQuery {
  @ApiPropertyOptional({ description: 'Only unread ones' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value))
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ enum: ['zh', 'en'], description: 'The reader’s language; without it, the Accept-Language header (default zh)' })
  @IsOptional()
  @IsIn(['zh', 'en'])
  lang?: 'zh' | 'en';
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'My notifications, newest first, in my language, with the count of those still needing attention' })
  list(@CurrentUser() user: RequestUser, @Query() query: ListNotificationsQuery, @Headers('accept-language') accept?: string) {
    return this.notifications.list(user, query.unread ?? false, query.limit ?? 50, readerLanguage(query.lang, accept));
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all my notifications read' })
  readAll(@CurrentUser() user: RequestUser) {
    return this.notifications.markAllRead(user);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of my notifications read' })
  read(@CurrentUser() user: RequestUser, @Param('id', IdPipe) id: number) {
    return this.notifications.markRead(user, id);
  }
}
