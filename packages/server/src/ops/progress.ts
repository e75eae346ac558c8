/**
 * Progress of long stages (benchmarks, audit verification). On a terminal a bar is redrawn in
 * place; into a file or a pipe, carriage-return redraws would pile up as hundreds of fragments,
 * so each stage writes one line when it ends.
 */
export interface Progress {
  /** Reports `done` of `total` for the stage `label`; the stage ends when done reaches total. */
  update(label: string, done: number, total: number): void;
}

const WIDTH = 30;

export function progressReporter(out: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Progress {
  const shown = new Map<string, number>();
  return {
    update(label, done, total) {
      const finished = done >= total;
      if (!out.isTTY) {
        if (finished && !shown.has(label)) {
          shown.set(label, WIDTH + 1);
          out.write(`  ${label}: ${done}/${total} done\n`);
        }
        return;
      }
      const k = total > 0 ? Math.min(WIDTH, Math.round((done / total) * WIDTH)) : WIDTH;
      // Redrawn only when the bar grows, and once more when the stage ends.
      if ((shown.get(label) ?? -1) >= (finished ? WIDTH + 1 : k)) return;
      shown.set(label, finished ? WIDTH + 1 : k);
      out.write(`\r  ${label.padEnd(32)} [${'#'.repeat(k)}${'.'.repeat(WIDTH - k)}] ${done}/${total}${finished ? '\n' : ''}`);
    },
  };
}
