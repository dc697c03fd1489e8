import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { User } from '../identity/user.entity';
import { LoginDto } from './auth.dto';
import { AuthService } from './auth.service';
import { CurrentUser } from '../identity/current-user.decorator';
import { Public } from '../identity/roles.decorator';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in; returns a bearer token valid for 8 hours' })
  login(@Body() body: LoginDto, @Req() request: Request) {
    return this.auth.login(body.username, body.password, request.ip ?? 'unknown');
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user, with roles as they are now' })
  me(@CurrentUser() user: User) {
    return this.auth.me(user);
  }
}
