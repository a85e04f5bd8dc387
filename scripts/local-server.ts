import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { app } from '../api/_lib/app'
import { handleLanding } from '../api/_lib/landing'

/**
 * The local runtime: the same API handler Vercel runs, plus the H5 build as static files with
 * an index.html fallback — one port, as `npm start` and the browser tests use it.
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
  let pathname = '/'
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
  } catch {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Bad request')
    return
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end()
    return
  }
  const candidate = normalize(join(root, pathname))
  const inside = candidate === root || candidate.startsWith(root + sep)
  let file = inside && existsSync(candidate) && statSync(candidate).isFile() ? candidate : null
  if (!file && !extname(pathname)) file = join(root, 'index.html')
  if (!file || !existsSync(file)) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found')
    return
  }
  const hashed = /\.[0-9a-f]{8}\.(js|css)$/.test(file)
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': statSync(file).size,
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  })
  if (req.method === 'HEAD') res.end()
  else createReadStream(file).pipe(res)
}

export interface LocalServer {
  server: Server
  url: string
  close(): Promise<void>
}

export async function startLocalServer(options: {
  port: number
  host: string
  staticRoot: string
}): Promise<LocalServer> {
  const root = resolve(options.staticRoot)
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (path === '/api' || path.startsWith('/api/')) {
      app.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end()
      })
      return
    }
    if (path.startsWith('/s/')) {
      handleLanding(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end()
      })
      return
    }
    serveStatic(root, req, res)
  })
  server.keepAliveTimeout = 5_000
  await new Promise<void>((ready, fail) => {
    server.once('error', fail)
    server.listen(options.port, options.host, () => ready())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host
  return {
    server,
    url: `http://${shownHost}:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}
