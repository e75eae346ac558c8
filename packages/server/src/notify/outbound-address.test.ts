import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPrivateAddress, outboundRefusal } from './outbound-address';

test('loopback, private, link-local, shared and unspecified addresses are private; public ones are not', () => {
  for (const a of [
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
  ])
    assert.equal(isPrivateAddress(a), true, a);
  for (const a of ['8.8.8.8', '41.90.64.1', '172.32.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])
    assert.equal(isPrivateAddress(a), false, a);
});

test('an IPv6 transition form is judged by the IPv4 address it carries', () => {
  for (const a of [
    '::ffff:7f00:1',
    '64:ff9b::10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::8.8.8.8',
    '2002:c0a8:0101::1',
    '2002:7f00:1::',
    '::127.0.0.1',
    '::a9fe:a9fe',
    '::ffff:0:10.1.2.3',
    '::ffff:0:7f00:1',
    '2001:0:a9fe:a9fe::1',
  ])
    assert.equal(isPrivateAddress(a), true, a);
  for (const a of ['64:ff9b::8.8.8.8', '2002:0808:0808::1', '::ffff:0:8.8.8.8', '2001:db9::1', '2600:1f18::1'])
    assert.equal(isPrivateAddress(a), false, a);
});

test('a URL is refused when its host, or any address its name resolves to, is private; a public one passes', async () => {
  const dns = (map: Record<string, string[]>) => async (h: string) => {
    if (!map[h]) throw new Error('ENOTFOUND');
    return map[h];
  };
  const resolve = dns({ 'hooks.example.com': ['93.184.215.14'], 'rebind.example.com': ['93.184.215.14', '127.0.0.1'] });
  assert.equal(await outboundRefusal('https://hooks.example.com/in', resolve), null);
  assert.match((await outboundRefusal('http://169.254.169.254/latest/meta-data', resolve))!, /169\.254\.169\.254.*link-local/);
  assert.match((await outboundRefusal('http://[::1]:8080/', resolve))!, /::1/);
  assert.ok(await outboundRefusal('http://[64:ff9b::169.254.169.254]/latest/meta-data', resolve), 'NAT64 to the metadata address');
  assert.match((await outboundRefusal('https://rebind.example.com/', resolve))!, /127\.0\.0\.1/);
  assert.match((await outboundRefusal('https://nowhere.example.com/', resolve))!, /does not resolve/);
});
