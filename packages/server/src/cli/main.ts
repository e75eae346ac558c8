/** The `sealwatch` command line (bin/sealwatch.mjs): parses the arguments, reports errors in one line. */
import { ConfigError } from '../config/config';
import { buildProgram } from './program';

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
