/** `sealwatch doctor`: the checks of ops/doctor.ts, one line each, exit code 1 on a problem. */
import { formatDoctor, runDoctor } from '../ops/doctor';

export async function doctorCommand(
  env: NodeJS.ProcessEnv,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<boolean> {
  const checks = await runDoctor(env);
  for (const line of formatDoctor(checks)) out(line);
  const ok = checks.every((c) => c.status !== 'fail');
  if (!ok) process.exitCode = 1;
  return ok;
}
