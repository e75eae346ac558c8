/**
 * WebSocket handshakes go through the same routes as every request: an `Upgrade: websocket`
 * request is handed to Fastify's router with a response on its socket, so authentication, rate
 * limits, schema validation and RFC 9457 refusals are the API's. A route that takes the upgrade
 * (EPCIS query subscriptions) finds it with `upgradeOf` and hijacks the reply; any other answer is
 * written as plain HTTP and the socket is then closed.
 */
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';

const UPGRADE = Symbol('sealwatch.websocketUpgrade');

export interface PendingUpgrade {
  socket: Duplex;
  head: Buffer;
}

/** The WebSocket handshake this request is, or null for a plain request. */
export function upgradeOf(req: IncomingMessage): PendingUpgrade | null {
  return (req as IncomingMessage & { [UPGRADE]?: PendingUpgrade })[UPGRADE] ?? null;
}

export function routeWebSocketUpgrades(app: FastifyInstance): void {
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      socket.destroy();
      return;
    }
    (req as IncomingMessage & { [UPGRADE]?: PendingUpgrade })[UPGRADE] = { socket, head };
    socket.on('error', () => socket.destroy());
    const res = new ServerResponse(req);
    res.assignSocket(socket as Socket);
    // Answered without taking the upgrade (a refusal, or a route that does not upgrade): then closed.
    res.on('finish', () => socket.destroy());
    app.routing(req, res);
  });
}
