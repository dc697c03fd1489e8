import { CourtScope } from '../identity/court-scope';
import { Scope } from '../identity/scope.decorator';
import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { IdPipe } from '../common/id.pipe';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, RequestUser } from '../identity/current-user.decorator';
import { Roles } from '../identity/roles.decorator';
import { CreateBranchDto, CreatePartnerDto, UpdateBranchDto, UpdatePartnerDto } from './organisation.dto';
import { OrganisationService } from './organisation.service';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('branches')
export class BranchesController {
  constructor(private readonly organisation: OrganisationService) {}

  @Get()
  @ApiOperation({ summary: 'All party branches of the court' })
  list(@Scope() scope: CourtScope) {
    return this.organisation.listBranches(scope);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a branch (admin)' })
  create(@Body() body: CreateBranchDto, @CurrentUser() actor: RequestUser) {
    return this.organisation.createBranch(body, actor);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a branch (admin)' })
  update(@Param('id', IdPipe) id: number, @Body() body: UpdateBranchDto, @CurrentUser() actor: RequestUser) {
    return this.organisation.updateBranch(id, body, actor);
  }
}

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('partners')
export class PartnersController {
  constructor(private readonly organisation: OrganisationService) {}

  @Get()
  @ApiOperation({ summary: 'All partner organisations' })
  list(@Scope() scope: CourtScope) {
    return this.organisation.listPartners(scope);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a partner organisation (admin)' })
  create(@Body() body: CreatePartnerDto, @CurrentUser() actor: RequestUser) {
    return this.organisation.createPartner(body, actor);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a partner organisation (admin)' })
  update(@Param('id', IdPipe) id: number, @Body() body: UpdatePartnerDto, @CurrentUser() actor: RequestUser) {
    return this.organisation.updatePartner(id, body, actor);
  }
}
