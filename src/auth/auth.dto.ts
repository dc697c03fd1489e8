import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'secretary', description: 'Username' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'Demo@2026', description: 'Password' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}
