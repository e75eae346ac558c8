/** The `sealwatch` commands: thin adapters over the same services as the HTTP API. */
import { Command } from 'commander';
import { loadConfig } from '../config/config';
import { openSqliteStore } from '../storage/sqlite/sqlite-store';
import { openPostgresStore } from '../storage/postgres/postgres-store';
import { RetentionService } from '../retention/retention.service';
import { resetAdminToken } from '../http/auth';
import { version } from '../version';
import { startCommand } from './start';
import { simulateCommand } from './simulate';
import { auditExportCommand, auditRotateKeyCommand, auditVerifyCommand } from './audit';
import { rotateMasterCommand } from './keys';
import { federationRotateKeyCommand } from './federation';
import { backupCommand, restoreCommand } from './backup';
import { doctorCommand } from './doctor';

/** Help text after a command's options: what it is for, by example. */
const examples = (...lines: string[]) => `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;

/** The command tree, with every command's description and example (`--help`). */
export function buildProgram(): Command {
  const program = new Command('sealwatch')
    .description(
      'Sealwatch: customs monitoring of cargo with Smart Security Devices. Every setting is a SEALWATCH_* environment variable (.env.example).',
    )
    .version(version)
    .addHelpText(
      'after',
      examples(
        'npx sealwatch start                        # embedded mode with the demo fleet on http://127.0.0.1:8080',
        'npx sealwatch doctor                       # check ports, database, master key, disk and clock first',
        'npx sealwatch backup --out backups/today   # the database with its master key',
        'npx sealwatch <command> --help             # what a command does, with an example',
      ),
    );

  program
    .command('start', { isDefault: true })
    .description('start the platform in embedded mode (HTTP API, console, demo fleet unless SEALWATCH_DEMO=false)')
    .addHelpText(
      'after',
      examples(
        'npx sealwatch start',
        'SEALWATCH_DEMO=false SEALWATCH_HTTP_HOST=0.0.0.0 npx sealwatch start   # an empty platform other machines can reach',
      ),
    )
    .action(() => startCommand(process.env));

  program
    .command('doctor')
    .description(
      'check a configuration without starting it: ports free, database reachable, master key present and matching the database, disk space, clock; says what to fix (exit code 1 on a problem)',
    )
    .addHelpText('after', examples('npx sealwatch doctor', 'SEALWATCH_DATA_DIR=/srv/sealwatch npx sealwatch doctor'))
    .action(async () => {
      await doctorCommand(process.env);
    });

  program
    .command('backup')
    .description('copy the embedded database (online, while the server runs) and its master key into a new folder; PostgreSQL: use pg_dump')
    .requiredOption('--out <folder>', 'a new or empty folder')
    .addHelpText('after', examples('npx sealwatch backup --out /var/backups/sealwatch/$(date +%F)'))
    .action((opts) => backupCommand(opts, process.env));

  program
    .command('restore')
    .description(
      'copy a backup folder into an empty SEALWATCH_DATA_DIR (server stopped), then verify the restored audit trail (exit code 1 if it does not verify)',
    )
    .requiredOption('--from <folder>', 'a folder written by `sealwatch backup`')
    .addHelpText(
      'after',
      examples('SEALWATCH_DATA_DIR=/srv/sealwatch-restored npx sealwatch restore --from /var/backups/sealwatch/2026-12-06'),
    )
    .action(async (opts) => {
      if (!(await restoreCommand(opts, process.env))) process.exitCode = 1;
    });

  program
    .command('admin-token')
    .description('replace the stored admin token with a new one and print it once (stop the server first)')
    .requiredOption('--reset', 'confirm that the old token stops working')
    .addHelpText('after', examples('npx sealwatch admin-token --reset'))
    .action(async () => {
      const config = loadConfig(process.env);
      const store = config.databaseUrl
        ? await openPostgresStore({ url: config.databaseUrl, schema: config.dbSchema })
        : await openSqliteStore({ file: config.sqlite.file });
      const token = await resetAdminToken(store.settings);
      await store.close();
      process.stdout.write(`${token}\n`);
    });

  program
    .command('retention')
    .description('apply the retention policy now (SEALWATCH_RETENTION_*_DAYS) and print what was removed')
    .addHelpText('after', examples('SEALWATCH_RETENTION_OBSERVATIONS_DAYS=365 npx sealwatch retention'))
    .action(async () => {
      const config = loadConfig(process.env);
      const store = config.databaseUrl
        ? await openPostgresStore({ url: config.databaseUrl, schema: config.dbSchema })
        : await openSqliteStore({ file: config.sqlite.file });
      const result = await new RetentionService({
        store,
        policy: config.retention,
        now: Date.now,
        log: { info: () => undefined, warn: () => undefined },
      }).run();
      await store.close();
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });

  const audit = program
    .command('audit')
    .description('the tamper-evident audit trail: verify it, export evidence, rotate the signing key')
    .addHelpText('after', examples('npx sealwatch audit verify', 'npx sealwatch audit export --movement <id> --out evidence.json'));
  audit
    .command('verify')
    .description('check every entry of the audit trail and every signed checkpoint; names the first altered entry (exit code 1)')
    .addHelpText('after', examples('npx sealwatch audit verify'))
    .action(() => auditVerifyCommand(process.env));
  audit
    .command('export')
    .description('write the evidence export of one movement (check it offline with scripts/verify-evidence.mjs)')
    .requiredOption('--movement <id>', 'movement id')
    .option('--out <file>', 'output file (default: standard output)')
    .addHelpText(
      'after',
      examples('npx sealwatch audit export --movement 01JEXAMPLE --out evidence.json && node scripts/verify-evidence.mjs evidence.json'),
    )
    .action((opts) => auditExportCommand(opts, process.env));
  audit
    .command('rotate-key')
    .description('replace the Ed25519 key that signs audit checkpoints; earlier public keys are kept so their checkpoints still verify')
    .addHelpText('after', examples('npx sealwatch audit rotate-key'))
    .action(async () => {
      await auditRotateKeyCommand(process.env);
    });

  program
    .command('federation')
    .description('federation between administrations (docs/federation.md)')
    .addHelpText('after', examples('npx sealwatch federation rotate-key'))
    .command('rotate-key')
    .description('replace the Ed25519 key that signs messages to partner administrations; the old key stays published for seven days')
    .addHelpText('after', examples('npx sealwatch federation rotate-key'))
    .action(async () => {
      await federationRotateKeyCommand(process.env);
    });

  program
    .command('keys')
    .description('device secrets at rest: re-encrypt them under a new master key')
    .addHelpText('after', examples('npx sealwatch keys rotate-master'))
    .command('rotate-master')
    .description(
      're-encrypt every stored device secret under the current master key (embedded key file: a new key is generated); stop the embedded server first',
    )
    .addHelpText(
      'after',
      examples(
        'npx sealwatch keys rotate-master                      # embedded: a new key in <data>/master.key',
        'SEALWATCH_MASTER_KEY=<new> SEALWATCH_MASTER_KEY_PREVIOUS=<old> npx sealwatch keys rotate-master',
      ),
    )
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
    .addHelpText(
      'after',
      examples('npx sealwatch simulate --url http://localhost:8080 --token $SEALWATCH_ADMIN_TOKEN --devices 100 --duration 60'),
    )
    .action((opts) => simulateCommand(opts, process.env));

  return program;
}
