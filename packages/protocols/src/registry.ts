/**
 * Every vendor protocol the server listens for, in port order. Adding a protocol is a folder that
 * exports its descriptor and one line here: the listener, its port setting, the start banner line,
 * the .env.example line and the docs/devices.md port row follow from this list.
 */
import { jt600Protocol } from './jt600/jt600-protocol';
import { jt808Protocol } from './jt808/jt808-protocol';
import { gt06Protocol } from './gt06/gt06-protocol';
import { teltonikaProtocol } from './teltonika/teltonika-protocol';
import { osmandProtocol } from './osmand/osmand-protocol';
import { esealProtocol } from './eseal/eseal-protocol';
import { teraTrackProtocol } from './teratrack/teratrack-protocol';

export const vendorProtocols = [
  jt600Protocol,
  jt808Protocol,
  gt06Protocol,
  teltonikaProtocol,
  osmandProtocol,
  esealProtocol,
  teraTrackProtocol,
] as const;

/** The name of a protocol in the list. */
export type VendorProtocolName = (typeof vendorProtocols)[number]['name'];

export { portVariable } from './descriptor';
