import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequestUser } from '../identity/current-user.decorator';
import { TasksQuery } from './tasks.query';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksQuery) {}

  @Get()
  @ApiOperation({ summary: 'Open tasks for this user: what waits on them, and by when' })
  list(@CurrentUser() user: RequestUser) {
    return this.tasks.forUser(user);
  }
}
