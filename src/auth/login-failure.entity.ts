import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Failed sign-ins per IP + username, kept in the database so every API process sees the same count. */
@Entity('login_failure')
@Index('ix_login_failure_key_at', ['key', 'at'])
export class LoginFailure {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  key!: string;

  @Column({ type: 'varchar', length: 24 })
  at!: string;
}
