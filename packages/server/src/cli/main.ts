/** The `sealwatch` command line: thin adapters over the same services as the HTTP API. */
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/config';
import { openSqliteStore } from '../storage/sqlite/sqlite-store';
import { openPostgresStore } from '../storage/postgres/postgres-store';
import { RetentionService } from '../retention/retention.service';
import { resetAdminToken } from '../http/auth';
import { version } from '../version';
import { startCommand } from './start';
import { simulateCommand } from './simulate';
import { auditExportCommand, auditRotateKeyCommand, auditVerifyCommand } from './audit';
import { rotateMasterCommand } from './keys';

const program = new Command('sealwatch').description('Sealwatch: customs monitoring of cargo with Smart Security Devices').version(version);

program
  .command('start', { isDefault: true })
  .description('start the platform in embedded mode (HTTP API, console, demo fleet unless SEALWATCH_DEMO=false)')
  .action(() => startCommand(process.env));

program
  .command('admin-token')
  .description('replace the stored admin token with a new one and print it once (stop the server first)')
  .requiredOption('--reset', 'confirm that the old token stops working')
  .action(async () => {
    const config = loadConfig(process.env);
    const store = config.databaseUrl ? await openPostgresStore({ url: config.databaseUrl, schema: config.dbSchema }) : await openSqliteStore({ file: config.sqlite.file });
    const token = await resetAdminToken(store.settings);
    await store.close();
    process.stdout.write(`${token}\n`);
  });

program
  .command('retention')
  .description('apply the retention policy now (SEALWATCH_RETENTION_*_DAYS) and print what was removed')
  .action(async () => {
    const config = loadConfig(process.env);
    const store = config.databaseUrl ? await openPostgresStore({ url: config.databaseUrl, schema: config.dbSchema }) : await openSqliteStore({ file: config.sqlite.file });
    const result = await new RetentionService({ store, policy: config.retention, now: Date.now, log: { info: () => undefined, warn: () => undefined } }).run();
    await store.close();
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });

const audit = program.command('audit').description('the tamper-evident audit trail');
audit
  .command('verify')
  .description('check every entry of the audit trail and every signed checkpoint; names the first altered entry (exit code 1)')
  .action(() => auditVerifyCommand(process.env));
audit
  .command('export')
  .description('write the evidence export of one movement (check it offline with scripts/verify-evidence.mjs)')
  .requiredOption('--movement <id>', 'movement id')
  .option('--out <file>', 'output file (default: standard output)')
  .action((opts) => auditExportCommand(opts, process.env));
audit
  .command('rotate-key')
  .description('replace the Ed25519 key that signs audit checkpoints; earlier public keys are kept so their checkpoints still verify')
  .action(async () => { await auditRotateKeyCommand(process.env); });

program
  .command('keys')
  .description('device secrets at rest')
  .command('rotate-master')
  .description('re-encrypt every stored device secret under the current master key (embedded key file: a new key is generated); stop the embedded server first')
  .action(async () => {
    await rotateMasterCommand(process.env);
  });

program
  .command('simulate')
  .description('run a simulated fleet of signed native-protocol devices against a Sealwatch server')
  .option('--url <url>', 'server base URL', 'http://localhost:8080')
  .option('--token <token>', 'admin token (or SEALWATCH_ADMIN_TOKEN)')
  .option('--devices <n>', 'number of devices', '100')
  .option('--interval <seconds>', 'seconds between reports of each device', '5')
  .option('--duration <seconds>', 'how long to run', '60')
  .option('--alg <alg>', 'EdDSA | ES256 | HS256', 'EdDSA')
  .option('--seed <seed>', 'key derivation seed (same seed, same keys)', 'sealwatch-sim')
  .action((opts) => simulateCommand(opts, process.env));

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
