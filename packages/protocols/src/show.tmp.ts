import { vendorProtocols } from '@sealwatch/protocols';
import { jt600TraccarCases } from '@sealwatch/protocols/jt600/traccar-cases';
import { jt808TraccarCases } from '@sealwatch/protocols/jt808/traccar-cases';
import { serveTraccarCase } from '@sealwatch/protocols/testing/traccar-case';
const [proto, ...rest] = process.argv.slice(2);
const lines = rest.map(Number);
const cases = proto === 'jt600' ? jt600TraccarCases : jt808TraccarCases;
for (const c of cases.filter((k) => lines.includes(k.line))) {
  const s = serveTraccarCase(vendorProtocols.find((p) => p.name === proto)!, c, Buffer.alloc(0));
  console.log(c.line, c.check, (c.hex ?? c.text)!.slice(0, 200), '\n   ', JSON.stringify(s.observations.map(({ identifier, ...o }) => o)).slice(0, 500), s.failures);
}
