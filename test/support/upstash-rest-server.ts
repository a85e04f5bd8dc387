import { createHash, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createClient } from 'redis'
import { createForwarder } from '../../api/_lib/store/forwarder'

export interface UpstashRestServer {
  url: string
  token: string
  close(): Promise<void>
}

const MAX_BODY_BYTES = 10 * 1024 * 1024

/**
 * Upstash answers with every string base64-encoded at every depth, except a bare top-level "OK"
 * (a status reply). The client decodes accordingly; numbers and nulls pass as they are.
 */
function encodeBase64(value: unknown, topLevel = true): unknown {
  if (typeof value === 'string') {
    return topLevel && value === 'OK' ? value : Buffer.from(value, 'utf8').toString('base64')
  }
  if (Array.isArray(value)) return value.map((item: unknown) => encodeBase64(item, false))
  return value
}

function sameToken(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, which timingSafeEqual requires.
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    size += buffer.length
    if (size > MAX_BODY_BYTES) return null
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * A small Upstash REST server (test infrastructure) in front of a real redis-server: Bearer token,
 * POST `/` (one command), `/pipeline` and `/multi-exec` (arrays of commands), `{ result }` /
 * `{ error }` answers, and base64 results when the request carries `Upstash-Encoding: base64`.
 * A command error on `/` is HTTP 400; pipeline and multi-exec answer 200 with per-command entries,
 * except a transaction refused as a whole (400). An unreachable Redis is 503.
 */
export async function startUpstashRestServer(options: {
  redisUrl: string
  token: string
}): Promise<UpstashRestServer> {
  const client = createClient({
    url: options.redisUrl,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1000) },
  })
  // Connection errors surface per request as 503; the listener only keeps them from crashing the process.
  client.on('error', () => undefined)
  await client.connect()
  const forwarder = createForwarder(client)

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const authorization = req.headers.authorization ?? ''
    if (
      !authorization.startsWith('Bearer ') ||
      !sameToken(authorization.slice('Bearer '.length), options.token)
    ) {
      return send(res, 401, { error: 'Unauthorized' })
    }
    if (req.method !== 'POST') return send(res, 405, { error: 'ERR only POST is supported' })
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    const text = await readBody(req)
    if (text === null) return send(res, 413, { error: 'ERR request body too large' })
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return send(res, 400, { error: 'ERR failed to parse the request body as JSON' })
    }
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64'
    const encode = (result: unknown) => (base64 ? encodeBase64(result) : result)

    if (path === '/') {
      const answer = await forwarder.single(body)
      if ('error' in answer) return send(res, 400, answer)
      return send(res, 200, { result: encode(answer.result) })
    }
    if (path === '/pipeline' || path === '/multi-exec') {
      const answer = path === '/pipeline' ? await forwarder.pipeline(body) : await forwarder.multiExec(body)
      if (!Array.isArray(answer)) return send(res, 400, answer)
      return send(
        res,
        200,
        answer.map((entry) => ('error' in entry ? entry : { result: encode(entry.result) })),
      )
    }
    return send(res, 404, { error: 'ERR unknown endpoint' })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 503, { error: 'ERR the store is unavailable' })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    token: options.token,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // fetch keeps connections alive; close() alone would wait for them to idle out.
      server.closeAllConnections()
      await closed
      if (client.isOpen) await client.close()
    },
  }
}
