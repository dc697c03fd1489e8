import { isIP } from 'node:net';

export type DatabaseEngine = 'sqlite' | 'mysql';
export type ProcessRole = 'all' | 'api' | 'worker';

export interface AppConfig {
  nodeEnv: string;
  production: boolean;
  port: number;
  database: { engine: DatabaseEngine; url: string; sqlitePath?: string };
  redisUrl: string | null;
  /** Bull key prefix, so several installations (or test runs) can share one Redis. */
  queuePrefix: string;
  jwtSecret: string;
  /** True when JWT_SECRET is unset outside production: tokens are signed with a secret anyone can read. */
  jwtSecretIsPublic: boolean;
  jwtExpiresIn: string;
  /** Failed sign-ins allowed per username and per client address within the window, before 429. */
  loginThrottle: { perUsername: number; perIp: number; windowMs: number };
  admin: { username: string; password: string } | null;
  /** The court a fresh installation starts with (COURT_CODE, COURT_NAME); more are added through the API. */
  court: { code: string; name: string };
  seedDemo: boolean;
  /** Also run a few demo pairings through the lifecycle (default: with SEED_DEMO). */
  seedDemoPairings: boolean;
  attachmentsDir: string;
  dataDir: string;
  timezone: string;
  processRole: ProcessRole;
  auditSigningKey: string | null;
  logLevel: string;
  /**
   * Which reverse proxies may say who the client is (X-Forwarded-For/-Proto): false (none, the default),
   * a number of proxy hops, or their addresses and subnets. Sign-in throttling and HSTS depend on it.
   */
  trustProxy: false | number | string[];
  /**
   * How often workers poll the outbox and sweep deadlines (0 turns a loop off: tests drive them by hand); how
   * long a row may be worked on before it is driven again; how many failed attempts park a row.
   */
  jobs: { pollMs: number; sweepMs: number; leaseMs: number; parkAfter: number };
}

/** A configuration value that cannot be used; the message is one sentence naming the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const DEV_JWT_SECRET = 'gongjian-development-secret-not-for-production';
const DEV_ADMIN = { username: 'admin', password: 'Admin@2026' };

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, not "${env[name]}".`);
}

function whole(env: Env, name: string, fallback: number, unit = 'milliseconds'): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number of ${unit}, not "${raw}".`);
  return Number(raw);
}

function positive(env: Env, name: string, fallback: number, unit: string): number {
  const value = whole(env, name, fallback, unit);
  if (value < 1) throw new ConfigError(`${name} must be at least 1, not "${env[name]}".`);
  return value;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function parseTrustProxy(env: Env): AppConfig['trustProxy'] {
  const raw = env.TRUST_PROXY?.trim() ?? '';
  if (['', 'false', 'no', 'off', '0'].includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((entry) => entry.trim());
  const valid = (entry: string) => {
    if (PROXY_NAMES.includes(entry)) return true;
    const [address, prefix, ...rest] = entry.split('/');
    const version = isIP(address);
    if (!version || rest.length) return false;
    return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
  };
  const bad = entries.find((entry) => !valid(entry));
  if (bad !== undefined) {
    throw new ConfigError(
      `TRUST_PROXY must be false, a number of proxy hops, or the addresses or subnets of your reverse proxies (e.g. 10.0.0.5,loopback), not "${bad || raw}"; "true" is not accepted since anyone could then claim any address.`,
    );
  }
  return entries;
}

function parseDatabase(raw: string): AppConfig['database'] {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new ConfigError('DATABASE_URL must name a file after "sqlite:", e.g. sqlite:./data/gongjian.sqlite.');
    return { engine: 'sqlite', url: raw, sqlitePath: path };
  }
  if (raw.startsWith('mysql://') || raw.startsWith('mariadb://')) {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid mysql:// URL.');
    }
    if (!parsed.hostname || parsed.pathname.length < 2) {
      throw new ConfigError('DATABASE_URL must name a host and a database, e.g. mysql://user:pass@127.0.0.1:3306/gongjian.');
    }
    const unknown = [...parsed.searchParams.keys()].filter((key) => key !== 'socket');
    if (unknown.length)
      throw new ConfigError(`DATABASE_URL: "${unknown[0]}" is not an option; the only one is ?socket=<path of the server's Unix socket>.`);
    const socket = parsed.searchParams.get('socket');
    if (socket !== null && !socket.startsWith('/')) {
      throw new ConfigError(
        `DATABASE_URL: ?socket= must be the absolute path of the server's Unix socket, e.g. ?socket=/run/mysqld/mysqld.sock.`,
      );
    }
    return { engine: 'mysql', url: raw.replace(/^mariadb:/, 'mysql:') };
  }
  throw new ConfigError(`DATABASE_URL must start with "mysql://" or "sqlite:"; "${raw.split(':')[0]}" databases are not supported.`);
}

function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Reads and validates the environment once; everything else gets the typed result. */
export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV?.trim() || 'development';
  const production = nodeEnv === 'production';

  const portRaw = env.PORT?.trim() || '3000';
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port < 1 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 1 to 65535, not "${portRaw}".`);
  }

  const database = parseDatabase(env.DATABASE_URL?.trim() || 'sqlite:./data/gongjian.sqlite');

  const redisRaw = env.REDIS_URL?.trim() || '';
  if (redisRaw && !/^rediss?:\/\/[^/]/.test(redisRaw)) {
    throw new ConfigError(`REDIS_URL must be a redis:// URL, not "${redisRaw}".`);
  }

  const jwtSecret = env.JWT_SECRET?.trim() || '';
  if (production && !jwtSecret) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production.');
  if (jwtSecret && jwtSecret.length < 16) throw new ConfigError('JWT_SECRET must be at least 16 characters long.');
  if (production && jwtSecret === DEV_JWT_SECRET) {
    throw new ConfigError('JWT_SECRET must not be the public development secret when NODE_ENV=production.');
  }

  const adminUser = env.ADMIN_USERNAME?.trim() || '';
  const adminPassword = env.ADMIN_PASSWORD ?? '';
  if (production && (!adminUser || !adminPassword)) {
    throw new ConfigError('ADMIN_USERNAME and ADMIN_PASSWORD are required when NODE_ENV=production.');
  }
  if (adminPassword && adminPassword.length < 8) throw new ConfigError('ADMIN_PASSWORD must be at least 8 characters long.');
  const admin = adminUser && adminPassword ? { username: adminUser, password: adminPassword } : production ? null : DEV_ADMIN;

  // The full demo is the article's court, 平湖法院 (PH), below 嘉兴中院; any other installation starts as GJ.
  const fullDemo = bool(env, 'SEED_DEMO', !production) && bool(env, 'SEED_DEMO_PAIRINGS', bool(env, 'SEED_DEMO', !production));
  const courtCode = env.COURT_CODE?.trim() || (fullDemo ? 'PH' : 'GJ');
  if (!/^[A-Z]{2,8}$/.test(courtCode)) throw new ConfigError(`COURT_CODE must be 2 to 8 capital letters (e.g. GJ), not "${courtCode}".`);
  const courtName = env.COURT_NAME?.trim() || (bool(env, 'SEED_DEMO', !production) ? '平湖市人民法院' : '本院');
  if (courtName.length > 100) throw new ConfigError('COURT_NAME must be at most 100 characters long.');

  const timezone = env.APP_TIMEZONE?.trim() || 'Asia/Shanghai';
  if (!isValidTimezone(timezone)) throw new ConfigError(`APP_TIMEZONE must be an IANA time zone such as Asia/Shanghai, not "${timezone}".`);

  const processRole = (env.PROCESS_ROLE?.trim() || 'all') as ProcessRole;
  if (!['all', 'api', 'worker'].includes(processRole)) {
    throw new ConfigError(`PROCESS_ROLE must be all, api or worker, not "${processRole}".`);
  }
  if (processRole !== 'all' && (database.engine !== 'mysql' || !redisRaw)) {
    throw new ConfigError(`PROCESS_ROLE=${processRole} needs a mysql:// DATABASE_URL and a REDIS_URL, since several processes share them.`);
  }

  const dataDir = env.DATA_DIR?.trim() || './data';
  const attachmentsDir = env.ATTACHMENTS_DIR?.trim() || `${dataDir}/attachments`;

  const logLevel = env.LOG_LEVEL?.trim() || (env.NODE_ENV === 'test' ? 'silent' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "${logLevel}".`);
  }

  const jobs = {
    pollMs: whole(env, 'JOB_POLL_MS', 500),
    sweepMs: whole(env, 'DEADLINE_SWEEP_MS', 5 * 60_000),
    leaseMs: positive(env, 'OUTBOX_LEASE_MS', 15_000, 'milliseconds'),
    parkAfter: positive(env, 'OUTBOX_PARK_AFTER', 10, 'failed attempts'),
  };

  return {
    nodeEnv,
    jobs,
    production,
    port,
    database,
    redisUrl: redisRaw || null,
    queuePrefix: env.QUEUE_PREFIX?.trim() || 'gongjian',
    jwtSecret: jwtSecret || DEV_JWT_SECRET,
    jwtSecretIsPublic: !jwtSecret || jwtSecret === DEV_JWT_SECRET,
    loginThrottle: {
      perUsername: positive(env, 'LOGIN_FAILURES_PER_USERNAME', 10, 'failed sign-ins'),
      perIp: positive(env, 'LOGIN_FAILURES_PER_IP', 30, 'failed sign-ins'),
      windowMs: 60_000,
    },
    jwtExpiresIn: '8h',
    admin,
    court: { code: courtCode, name: courtName },
    seedDemo: bool(env, 'SEED_DEMO', !production),
    seedDemoPairings: bool(env, 'SEED_DEMO_PAIRINGS', bool(env, 'SEED_DEMO', !production)),
    attachmentsDir,
    dataDir,
    timezone,
    processRole,
    auditSigningKey: env.AUDIT_SIGNING_KEY?.trim() || null,
    logLevel,
    trustProxy: parseTrustProxy(env),
  };
}
