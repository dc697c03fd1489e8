import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { RowCodec } from '../database/row-codec';
import { User } from '../identity/user.entity';

/** The one read every authenticated request makes: the user as they are now (never the password hash). */
@Injectable()
export class UserReader implements OnModuleInit {
  private users!: RowCodec<User>;

  constructor(
    private readonly db: DatabaseService,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.users = new RowCodec(this.dataSource, User);
  }

  byId(id: number): Promise<User | null> {
    return this.db.read((m) => this.users.findOne(m, '`id` = ?', [id]));
  }
}
