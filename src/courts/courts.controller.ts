import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdPipe } from '../common/id.pipe';
import { CurrentUser, RequestUser } from '../identity/current-user.decorator';
import { Roles } from '../identity/roles.decorator';
import { CreateCourtAdminDto, CreateCourtDto, UpdateCourtDto } from './courts.dto';
import { CourtsService } from './courts.service';

@ApiTags('courts')
@ApiBearerAuth()
@Controller('courts')
export class CourtsController {
  constructor(private readonly courts: CourtsService) {}

  @Get()
  @Roles('platform_admin', 'supervisor')
  @ApiOperation({ summary: 'The courts of the installation (platform admin), or a supervisor’s own court and those below it' })
  list(@CurrentUser() user: RequestUser) {
    return this.courts.list(user);
  }

  @Post()
  @Roles('platform_admin')
  @ApiOperation({ summary: 'Create a court (platform admin)' })
  create(@CurrentUser() user: RequestUser, @Body() body: CreateCourtDto) {
    return this.courts.create(user, body);
  }

  @Patch(':id')
  @Roles('platform_admin')
  @ApiOperation({ summary: 'Rename a court (platform admin); its code never changes' })
  update(@CurrentUser() user: RequestUser, @Param('id', IdPipe) id: number, @Body() body: UpdateCourtDto) {
    return this.courts.update(user, id, body);
  }

  @Post(':id/admins')
  @Roles('platform_admin')
  @ApiOperation({ summary: 'Create an admin of the court (platform admin): its first user' })
  createAdmin(@CurrentUser() user: RequestUser, @Param('id', IdPipe) id: number, @Body() body: CreateCourtAdminDto) {
    return this.courts.createAdmin(user, id, body);
  }
}
