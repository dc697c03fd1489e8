import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';
import { SeedService } from './seed/seed.service';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Gongjian cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (config.jwtSecretIsPublic) {
    process.stderr.write(
      'Warning: JWT_SECRET is not set, so sign-in tokens are signed with the public development secret and anyone can forge one. Set JWT_SECRET (32 random characters or more) before anyone relies on this installation.\n',
    );
  }
  const app = await createApp(config);
  // Modules finish starting (onModuleInit) before anything uses them, the seeding of demo pairings included.
  await app.init();
  const seeded = await app.get(SeedService).seedIfEmpty();
  if (config.processRole === 'worker') {
    // A worker serves no HTTP: it dispatches the outbox, runs the queues and sweeps deadlines.
    process.stdout.write(`Gongjian worker is running on ${config.database.engine} with Redis.\n`);
    return;
  }
  await app.listen(config.port);

  const url = `http://localhost:${config.port}`;
  const lines = [`Gongjian 共建 is running at ${url} (API ${url}/api, docs ${url}/api/docs) on ${config.database.engine}.`];
  if (seeded?.admin && !config.production && config.admin)
    lines.push(`  admin login: ${config.admin.username} / (ADMIN_PASSWORD, default Admin@2026)`);
  if (seeded?.demoLogins.length) {
    lines.push('  demo logins (password Demo@2026):');
    for (const login of seeded.demoLogins) lines.push(`    ${login.username.padEnd(11)} ${login.roles.join(', ')}`);
    if (seeded.demoPairings)
      lines.push(`  ${seeded.demoPairings} demo pairings were run through their lifecycle (scored, active, proposed, returned).`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

void bootstrap();
