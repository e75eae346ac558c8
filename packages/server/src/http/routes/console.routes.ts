/**
 * The web console: the built React app of packages/web (`npm run build:web`), served from its
 * dist folder. Hashed files under /assets are cached for good; index.html is revalidated. No
 * directory listing, no path outside the folder. Without a build, / explains how to make one.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const distDir = fileURLToPath(new URL('../../../../web/dist/', import.meta.url));
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export function consoleRoutes(app: FastifyInstance): void {
  const send = async (file: string, reply: FastifyReply, cache: string) => {
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return reply.callNotFound();
    }
    return reply
      .type(types[extname(file)] ?? 'application/octet-stream')
      .header('cache-control', cache)
      .send(body);
  };

  app.get('/', async (_req, reply) => {
    try {
      const html = await readFile(join(distDir, 'index.html'));
      return reply.type(types['.html']).header('cache-control', 'no-cache').send(html);
    } catch {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web console is not built. Run `npm run build:web` (npm start and npm test build it when needed).\n');
    }
  });
  app.get('/favicon.svg', (_req, reply) => send(join(distDir, 'favicon.svg'), reply, 'public, max-age=86400'));
  app.get('/assets/*', (req, reply) => {
    const rel = normalize((req.params as { '*': string })['*']);
    if (rel.startsWith('..') || rel.includes(`${sep}..`) || rel.startsWith(sep)) return reply.callNotFound();
    return send(join(distDir, 'assets', rel), reply, 'public, max-age=31536000, immutable');
  });
}
