import { ConfigError, loadConfig } from './config';

describe(loadConfig.name, () => {
  it('defaults to an embedded SQLite file, port 3000 and in-process jobs', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ engine: 'sqlite', url: 'sqlite:./data/gongjian.sqlite', sqlitePath: './data/gongjian.sqlite' });
    expect(config.port).toBe(3000);
    expect(config.redisUrl).toBeNull();
    expect(config.seedDemo).toBe(true);
    expect(config.timezone).toBe('Asia/Shanghai');
    expect(config.processRole).toBe('all');
  });

  it('accepts a mysql:// URL', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' }).database.engine).toBe('mysql');
  });

  it('accepts a mysql:// URL reaching the server through its Unix socket, and nothing else after ?', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://root@localhost/test?socket=/run/mysqld/mysqld.sock' }).database.engine).toBe('mysql');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root@localhost/test?socket=mysqld.sock' })).toThrow(
      /absolute path of the server's Unix socket/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root@localhost/test?ssl=true' })).toThrow(/"ssl" is not an option/);
  });

  it.each([
    [{ DATABASE_URL: 'postgres://localhost/db' }, /DATABASE_URL must start with "mysql:\/\/" or "sqlite:"/],
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ NODE_ENV: 'production', ADMIN_USERNAME: 'a', ADMIN_PASSWORD: 'longenough' }, /JWT_SECRET is required when NODE_ENV=production/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }, /ADMIN_USERNAME and ADMIN_PASSWORD are required/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must be a redis:\/\/ URL/],
    [{ APP_TIMEZONE: 'Mars/Olympus' }, /APP_TIMEZONE must be an IANA time zone/],
    [{ PROCESS_ROLE: 'api' }, /PROCESS_ROLE=api needs a mysql:\/\/ DATABASE_URL and a REDIS_URL/],
    [{ PROCESS_ROLE: 'both' }, /PROCESS_ROLE must be all, api or worker/],
    [{ SEED_DEMO: 'maybe' }, /SEED_DEMO must be true or false/],
    [{ OUTBOX_LEASE_MS: '0' }, /OUTBOX_LEASE_MS must be at least 1/],
    [{ OUTBOX_PARK_AFTER: 'never' }, /OUTBOX_PARK_AFTER must be a whole number of failed attempts/],
    [{ LOGIN_FAILURES_PER_IP: '0' }, /LOGIN_FAILURES_PER_IP must be at least 1/],
    [{ LOGIN_FAILURES_PER_USERNAME: 'ten' }, /LOGIN_FAILURES_PER_USERNAME must be a whole number of failed sign-ins/],
    [
      {
        NODE_ENV: 'production',
        JWT_SECRET: 'gongjian-development-secret-not-for-production',
        ADMIN_USERNAME: 'a',
        ADMIN_PASSWORD: 'longenough',
      },
      /JWT_SECRET must not be the public development secret/,
    ],
    [{ TRUST_PROXY: 'true' }, /TRUST_PROXY must be false, a number of proxy hops, or the addresses/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY .* not "10.0.0.0\/33"/],
    [{ TRUST_PROXY: 'proxy.example' }, /TRUST_PROXY/],
  ])('refuses %j with one sentence naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['1', 1],
    ['loopback, 10.0.0.0/8,::1', ['loopback', '10.0.0.0/8', '::1']],
  ])('reads TRUST_PROXY=%j as %j', (raw, expected) => {
    expect(loadConfig({ TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it('says when tokens are signed with the public development secret', () => {
    expect(loadConfig({}).jwtSecretIsPublic).toBe(true);
    expect(loadConfig({ JWT_SECRET: 'a-secret-of-our-own-32-characters' }).jwtSecretIsPublic).toBe(false);
    expect(loadConfig({}).loginThrottle).toEqual({ perUsername: 10, perIp: 30, windowMs: 60_000 });
  });

  it('turns demo data off in production and needs no default admin there', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD: 'secret-pass',
    });
    expect(config.seedDemo).toBe(false);
    expect(config.admin).toEqual({ username: 'root', password: 'secret-pass' });
  });
});
