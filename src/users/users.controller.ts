import { CourtScope } from '../identity/court-scope';
import { Scope } from '../identity/scope.decorator';
import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { IdPipe } from '../common/id.pipe';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequestUser } from '../identity/current-user.decorator';
import { Roles } from '../identity/roles.decorator';
import { CreateUserDto, UpdateUserDto } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'All users (admin)' })
  list(@Scope() scope: CourtScope) {
    return this.users.list(scope);
  }

  @Post()
  @ApiOperation({ summary: 'Create a user (admin)' })
  create(@Body() body: CreateUserDto, @CurrentUser() actor: RequestUser) {
    return this.users.create(body, actor);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a user; active:false deactivates (admin)' })
  update(@Param('id', IdPipe) id: number, @Body() body: UpdateUserDto, @CurrentUser() actor: RequestUser) {
    return this.users.update(id, body, actor);
  }
}

/** The members of a branch, for choosing a liaison: any signed-in user may ask (served under /branches). */
@ApiTags('organisation')
@ApiBearerAuth()
@Controller('branches')
export class BranchMembersController {
  constructor(private readonly users: UsersService) {}

  @Get(':id/members')
  @ApiOperation({ summary: 'Active users of a branch (to choose a liaison)' })
  members(@Param('id', IdPipe) id: number, @Scope() scope: CourtScope) {
    return this.users.branchMembers(scope, id);
  }
}
