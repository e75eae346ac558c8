/**
 * The console's static files, served from a fixed folder (no directory listing, no path
 * outside it) with the world atlas from the `world-atlas` package for the offline basemap.
 */
import type { FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const publicDir = fileURLToPath(new URL('../../../public/', import.meta.url));
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
};

export function consoleRoutes(app: FastifyInstance): void {
  const require = createRequire(import.meta.url);
  const atlas = require.resolve('world-atlas/countries-110m.json');

  const send = async (file: string, reply: import('fastify').FastifyReply) => {
    try {
      const body = await readFile(file);
      return reply.type(types[extname(file)] ?? 'application/octet-stream').header('cache-control', 'no-cache').send(body);
    } catch {
      return reply.callNotFound();
    }
  };

  app.get('/', (_req, reply) => send(join(publicDir, 'index.html'), reply));
  app.get('/console/world.json', (_req, reply) => send(atlas, reply));
  app.get('/console/*', (req, reply) => {
    const rel = normalize((req.params as { '*': string })['*']);
    if (rel.startsWith('..') || rel.includes(`${sep}..`) || rel.startsWith(sep)) return reply.callNotFound();
    return send(join(publicDir, 'console', rel), reply);
  });
}
