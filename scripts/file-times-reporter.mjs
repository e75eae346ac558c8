// A node:test reporter that writes one line per finished test: "<pass|fail> <nesting> <suite|test>
// <ms> <file>". The run script sums the top-level lines per file to print the slowest files, and
// counts the tests when a run is stopped before the runner's own summary. Lines are written as they
// happen, not at the end, because --test-force-exit ends the run before a reporter's last write.
export default async function* fileTimes(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { nesting, details, file, name } = event.data;
    const kind = details?.type === 'suite' ? 'suite' : 'test';
    yield `${event.type.slice(5)} ${nesting} ${kind} ${Math.round(details?.duration_ms ?? 0)} ${file ?? name}\n`;
  }
}
