import { Redis, type Requester } from '@upstash/redis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createForwarder } from '../../api/_lib/store/forwarder'
import { createMemoryRequester } from '../../api/_lib/store/memory-requester'
import { createTcpRequester } from '../../api/_lib/store/tcp-requester'
import { freePort, type RunningRedisServer, startRedisServer } from '../support/redis-server'
import { startUpstashRestServer, type UpstashRestServer } from '../support/upstash-rest-server'

/**
 * Contract: the real `@upstash/redis` client behaves the same against a real redis-server over
 * Upstash REST (our test server, the client's default base64 encoding) and over TCP (our requester).
 */

const TOKEN = 'test-token-not-a-secret'
const RATELIMIT_STYLE_SCRIPT = '#!lua flags=allow-key-locking\nreturn redis.call("INCR", KEYS[1])'

type Transport = 'http' | 'tcp'

/**
 * `new Redis(requester)` takes no options, so `automaticDeserialization: false` cannot be passed
 * for a custom requester; the (protected) command options are set the way the constructor would.
 */
class RawRedis extends Redis {
  constructor(requester: Requester) {
    super(requester)
    this.opts = { automaticDeserialization: false }
  }
}

let server: RunningRedisServer
let rest: UpstashRestServer
let tcp: ReturnType<typeof createTcpRequester>
let admin: ReturnType<typeof createClient>

beforeAll(async () => {
  server = await startRedisServer()
  rest = await startUpstashRestServer({ redisUrl: server.url, token: TOKEN })
  tcp = createTcpRequester({ url: server.url, commandTimeoutMs: 2000, connectTimeoutMs: 2000 })
  await tcp.ready()
  // A separate connection, to look at Redis from outside the client under test.
  admin = createClient({ url: server.url })
  admin.on('error', () => undefined)
  await admin.connect()
})

afterAll(async () => {
  await admin?.close()
  await tcp?.close()
  await rest?.close()
  await server?.stop()
})

function clientFor(transport: Transport, raw = false): Redis {
  if (transport === 'http') {
    return new Redis({ url: rest.url, token: TOKEN, enableTelemetry: false, automaticDeserialization: !raw })
  }
  return raw ? new RawRedis(tcp.requester) : new Redis(tcp.requester)
}

async function commandCalls(command: string): Promise<number> {
  const info = await admin.info('commandstats')
  const match = new RegExp(`^cmdstat_${command}:calls=(\\d+),`, 'm').exec(info)
  return Number(match?.[1] ?? 0)
}

describe.each<Transport>(['http', 'tcp'])('@upstash/redis over %s', (transport) => {
  let redis: Redis
  const key = (name: string) => `contract:${transport}:${name}`

  beforeAll(() => {
    redis = clientFor(transport)
  })

  it('round-trips Chinese text and emoji', async () => {
    const text = '家门口创业服务 — 你好，世界 🚀👩‍🌾'
    expect(await redis.set(key('text'), text)).toBe('OK')
    expect(await redis.get(key('text'))).toBe(text)
    expect(await redis.get(key('missing'))).toBeNull()
    // A value that is literally "OK" must not be confused with the status reply.
    await redis.set(key('ok'), 'OK')
    expect(await redis.get(key('ok'))).toBe('OK')
    await redis.set(key('object'), { 名字: '张三', tags: ['创业', 1] })
    expect(await redis.get(key('object'))).toEqual({ 名字: '张三', tags: ['创业', 1] })
  })

  it('JSON-parses string replies by default (a phone-number-like string comes back as a number)', async () => {
    // 11 digits shaped like a number but not a mobile number: the personal-data sweep reads this Redis.
    await redis.set(key('phone'), '10800108000')
    expect(await redis.get(key('phone'))).toBe(10800108000)
    // Only when the number prints back identically: leading zeros and unsafe integers stay strings.
    await redis.set(key('zip'), '007')
    expect(await redis.get(key('zip'))).toBe('007')
    await redis.set(key('big'), '12345678901234567890')
    expect(await redis.get(key('big'))).toBe('12345678901234567890')
    const raw = clientFor(transport, true)
    expect(await raw.get(key('phone'))).toBe('10800108000')
  })

  it('decodes nested replies at every depth', async () => {
    await redis.hset(key('hash'), { 姓名: '李四', city: '上海', count: 3 })
    expect(await redis.hgetall(key('hash'))).toEqual({ 姓名: '李四', city: '上海', count: 3 })

    await redis.zadd(key('zset'), { score: 1.5, member: '成员一' }, { score: 2, member: 'OK' })
    expect(await redis.zrange(key('zset'), 0, -1, { withScores: true })).toEqual(['成员一', 1.5, 'OK', 2])

    const [cursor, keys] = await redis.scan(0, { match: `${key('zs')}*`, count: 1000 })
    expect(cursor).toBe('0')
    expect(keys).toEqual([key('zset')])

    const id = await redis.xadd(key('stream'), '*', { 字段: '值', n: 1 })
    expect(await redis.xrange(key('stream'), '-', '+')).toEqual({ [id]: { 字段: '值', n: 1 } })

    const nested = await redis.eval<[string], unknown>(
      'return {KEYS[1], {ARGV[1], {redis.status_reply("OK"), 42, "深层"}}, "OK"}',
      [key('eval')],
      ['值'],
    )
    expect(nested).toEqual([key('eval'), ['值', ['OK', 42, '深层']], 'OK'])
  })

  it('sends number and boolean arguments as Redis strings', async () => {
    await redis.set(key('num'), 42)
    expect(await redis.incrby(key('num'), 8)).toBe(50)
    expect(await redis.incrbyfloat(key('num'), 0.5)).toBe(50.5)
    await redis.set(key('bool'), true)
    expect(await redis.get(key('bool'))).toBe(true)
    expect(await redis.expire(key('bool'), 100)).toBe(1)
    expect(await redis.zscore(key('zset'), '成员一')).toBe(1.5)
  })

  it('supports set with nx / ex / xx / get options', async () => {
    expect(await redis.set(key('lock'), 'a', { nx: true, ex: 100 })).toBe('OK')
    expect(await redis.set(key('lock'), 'b', { nx: true, ex: 100 })).toBeNull()
    const ttl = await redis.ttl(key('lock'))
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(100)
    expect(await redis.set(key('lock'), 'c', { xx: true, get: true })).toBe('a')
    expect(await redis.get(key('lock'))).toBe('c')
  })

  it('surfaces Redis errors as UpstashError with the Redis message', async () => {
    await redis.set(key('plain'), 'x')
    // Over HTTP the client auto-pipelines single commands, so the message gets a prefix there.
    await expect(redis.lpush(key('plain'), 'y')).rejects.toThrow(/WRONGTYPE Operation against a key/)
    await expect(redis.lpush(key('plain'), 'y')).rejects.toMatchObject({ name: 'UpstashError' })
  })

  it('pipeline: a failing command throws on exec, the others still ran; keepErrors reports per command', async () => {
    const failing = redis.pipeline()
    failing.set(key('p'), 'v1')
    failing.incr(key('p'))
    failing.set(key('p2'), 'after')
    await expect(failing.exec()).rejects.toThrow(/^Command 2 \[ incr \] failed: ERR value is not an integer/)
    expect(await redis.get(key('p2'))).toBe('after')

    const kept = redis.pipeline()
    kept.get(key('p'))
    kept.incr(key('p'))
    kept.set(key('p3'), 3)
    const results = await kept.exec({ keepErrors: true })
    expect(results).toHaveLength(3)
    expect(results[0]).toMatchObject({ result: 'v1' })
    expect(results[0]?.error).toBeUndefined()
    expect(results[1]?.error).toMatch(/^ERR value is not an integer/)
    expect(results[1]?.result).toBeUndefined()
    expect(results[2]).toMatchObject({ result: 'OK' })
  })

  it('multi: the whole transaction becomes visible at once', async () => {
    const counter = key('atomic')
    const tx = redis.multi()
    for (let i = 0; i < 200; i++) tx.incr(counter)
    const seen: unknown[] = []
    let done = false
    const watcher = (async () => {
      while (!done) seen.push(await admin.get(counter))
    })()
    const results = await tx.exec()
    done = true
    await watcher
    seen.push(await admin.get(counter))
    expect(results).toHaveLength(200)
    expect(results[199]).toBe(200)
    for (const value of seen) expect([null, '200']).toContain(value)
  })

  it('multi with a WRONGTYPE inside: exec throws, Redis ran the rest (no rollback)', async () => {
    const tx = redis.multi()
    tx.set(key('tx-str'), 'text')
    tx.lpush(key('tx-str'), 'x')
    tx.set(key('tx-after'), 'ran')
    await expect(tx.exec()).rejects.toThrow(/^Command 2 \[ lpush \] failed: WRONGTYPE/)
    expect(await redis.get(key('tx-after'))).toBe('ran')

    const kept = redis.multi()
    kept.lpush(key('tx-str'), 'x')
    kept.get(key('tx-after'))
    const results = await kept.exec({ keepErrors: true })
    expect(results[0]?.error).toMatch(/^WRONGTYPE/)
    expect(results[1]).toMatchObject({ result: 'ran' })
  })

  it('runs a script with a `#!lua flags=allow-key-locking` shebang, first via EVAL then via EVALSHA', async () => {
    const script = redis.createScript<number>(RATELIMIT_STYLE_SCRIPT)
    const evalBefore = await commandCalls('eval')
    expect(await script.exec([key('script')], [])).toBe(1)
    expect(await commandCalls('eval')).toBe(evalBefore + 1)

    const evalshaBefore = await commandCalls('evalsha')
    expect(await script.exec([key('script')], [])).toBe(2)
    expect(await commandCalls('evalsha')).toBe(evalshaBefore + 1)
    expect(await commandCalls('eval')).toBe(evalBefore + 1)

    // The client's view stays consistent: its own sha1 is "loaded" and SCRIPT LOAD answers it.
    expect(await redis.scriptExists(script.sha1)).toEqual([1])
    expect(await redis.scriptLoad(RATELIMIT_STYLE_SCRIPT)).toBe(script.sha1)
    expect(await redis.evalsha(script.sha1, [key('script')], [])).toBe(3)
  })

  it('keeps shebang flags Redis knows (no-writes still forbids writes)', async () => {
    const readOnly = '#!lua flags=no-writes,allow-key-locking\nreturn redis.call("GET", KEYS[1])'
    await redis.set(key('ro'), 'value')
    expect(await redis.evalRo(readOnly, [key('ro')], [])).toBe('value')
    const writing = '#!lua flags=no-writes,allow-key-locking\nreturn redis.call("SET", KEYS[1], "x")'
    await expect(redis.eval(writing, [key('ro')], [])).rejects.toThrow(/Write commands are not allowed/)
  })
})

describe('Upstash REST protocol details', () => {
  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${rest.url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as unknown }
  }

  it('base64-encodes every string except a bare top-level OK', async () => {
    const b64 = { 'Upstash-Encoding': 'base64' }
    expect(await post('/', ['SET', 'proto:k', 'OK'], b64)).toEqual({ status: 200, body: { result: 'OK' } })
    expect(await post('/', ['GET', 'proto:k'])).toEqual({ status: 200, body: { result: 'OK' } })
    expect(await post('/', ['EVAL', 'return {"OK", {"OK", 1}}', 0], b64)).toEqual({
      status: 200,
      body: { result: ['T0s=', ['T0s=', 1]] },
    })
    expect(
      await post(
        '/pipeline',
        [
          ['INCR', 'proto:n'],
          ['GET', 'proto:nothing'],
        ],
        b64,
      ),
    ).toEqual({
      status: 200,
      body: [{ result: 1 }, { result: null }],
    })
  })

  it('answers errors with the documented status codes', async () => {
    expect((await post('/', ['LPUSH', 'proto:k', 'x'])).status).toBe(400)
    expect(await post('/', '{not json')).toMatchObject({ status: 400 })
    expect(await post('/', [])).toMatchObject({ status: 400 })
    const pipeline = await post('/pipeline', [
      ['LPUSH', 'proto:k', 'x'],
      ['GET', 'proto:k'],
    ])
    expect(pipeline.status).toBe(200)
    expect(pipeline.body).toEqual([{ error: expect.stringMatching(/^WRONGTYPE/) }, { result: 'OK' }])
    // Wrong arity is a queue-time error: Redis discards the whole transaction.
    const tx = await post('/multi-exec', [
      ['SET', 'proto:tx'],
      ['SET', 'proto:tx2', 'v'],
    ])
    expect(tx.status).toBe(400)
    expect(tx.body).toEqual({ error: expect.stringMatching(/wrong number of arguments/) })
    expect(await admin.get('proto:tx2')).toBeNull()
  })

  it('rejects a wrong token with 401, and the client throws', async () => {
    const response = await fetch(rest.url, {
      method: 'POST',
      headers: { Authorization: 'Bearer wrong' },
      body: '["PING"]',
    })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'Unauthorized' })
    const wrong = new Redis({ url: rest.url, token: 'wrong', enableTelemetry: false })
    await expect(wrong.get('anything')).rejects.toThrow(/Unauthorized/)
  })
})

describe('forwarder and TCP requester', () => {
  it('turns malformed commands into errors, never throws for bad input', async () => {
    const client = createClient({ url: server.url })
    await client.connect()
    try {
      const forwarder = createForwarder(client)
      expect(await forwarder.single(null)).toEqual({ error: expect.stringMatching(/^ERR /) })
      expect(await forwarder.single([])).toEqual({ error: expect.stringMatching(/^ERR /) })
      expect(await forwarder.single(['SET', 'k', { nested: true }])).toEqual({
        error: expect.stringMatching(/^ERR /),
      })
      expect(await forwarder.single(['SUBSCRIBE', 'channel'])).toEqual({
        error: expect.stringMatching(/^ERR /),
      })
      expect(await forwarder.pipeline('nope')).toEqual({ error: expect.stringMatching(/^ERR /) })
      expect(await forwarder.pipeline([['PING'], [null]])).toEqual([
        { result: 'PONG' },
        { error: expect.stringMatching(/^ERR /) },
      ])
      expect(await forwarder.multiExec([['SET', 'fw:a', '1'], 'bad'])).toEqual({
        error: expect.stringMatching(/^ERR /),
      })
      expect(await client.get('fw:a')).toBeNull()
    } finally {
      await client.close()
    }
  })

  it('a refused transaction throws UpstashError through the requester (like HTTP 400)', async () => {
    const request = tcp.requester.request({
      path: ['multi-exec'],
      body: [
        ['SET', 'tcp:tx'],
        ['SET', 'tcp:tx2', 'v'],
      ],
    })
    await expect(request).rejects.toMatchObject({ name: 'UpstashError' })
    expect(await admin.get('tcp:tx2')).toBeNull()
  })
})

describe('a dead or hanging Redis', () => {
  const timeouts = { commandTimeoutMs: 300, connectTimeoutMs: 300 }

  async function rejectsFast(redis: Redis): Promise<void> {
    const started = Date.now()
    await expect(redis.get('anything')).rejects.toMatchObject({ name: 'StoreUnavailableError' })
    expect(Date.now() - started).toBeLessThan(1500)
  }

  it('rejects with StoreUnavailableError within the timeout: paused, stopped, never there', async () => {
    const doomed = await startRedisServer()
    const handle = createTcpRequester({ url: doomed.url, ...timeouts })
    const redis = new Redis(handle.requester)
    const pauser = createClient({ url: doomed.url })
    pauser.on('error', () => undefined)
    try {
      await handle.ready()
      expect(await redis.set('k', 'v')).toBe('OK')

      // Hanging: Redis holds every client's commands (CLIENT UNPAUSE would be held too, so it expires).
      await pauser.connect()
      await pauser.sendCommand(['CLIENT', 'PAUSE', '700', 'ALL'])
      await rejectsFast(redis)
      await new Promise((resolve) => setTimeout(resolve, 700))
      expect(await redis.get('k')).toBe('v')
      await pauser.close()

      // Dead: the server is gone.
      await doomed.stop()
      await rejectsFast(redis)
      await rejectsFast(redis)
    } finally {
      await handle.close()
      await doomed.stop()
    }

    // Never reachable: nothing listens on the port.
    const nowhere = createTcpRequester({ url: `redis://127.0.0.1:${await freePort()}`, ...timeouts })
    try {
      await rejectsFast(new Redis(nowhere.requester))
      await expect(nowhere.ready()).rejects.toMatchObject({ name: 'StoreUnavailableError' })
    } finally {
      await nowhere.close()
    }
  })

  it('recovers when Redis comes back', async () => {
    const flaky = await startRedisServer()
    const handle = createTcpRequester({ url: flaky.url, commandTimeoutMs: 3000, connectTimeoutMs: 1000 })
    const redis = new Redis(handle.requester)
    try {
      await redis.set('k', 'v1')
      flaky.kill9()
      await flaky.restart()
      // The first request waits (bounded) for the reconnection instead of failing.
      expect(await redis.set('k', 'v2')).toBe('OK')
    } finally {
      await handle.close()
      await flaky.stop()
    }
  })
})

describe('in-memory engine', () => {
  const memory = createMemoryRequester()
  const redis = new Redis(memory.requester)

  afterAll(() => memory.close())

  it('does set/get/incr, options and unknown commands', async () => {
    await memory.ready()
    expect(await redis.set('m:text', '你好 🚀')).toBe('OK')
    expect(await redis.get('m:text')).toBe('你好 🚀')
    expect(await redis.incr('m:n')).toBe(1)
    expect(await redis.incrby('m:n', 4)).toBe(5)
    expect(await redis.set('m:lock', 'a', { nx: true, ex: 60 })).toBe('OK')
    expect(await redis.set('m:lock', 'b', { nx: true, ex: 60 })).toBeNull()
    expect(await redis.ttl('m:lock')).toBeGreaterThan(0)
    await redis.hset('m:h', { a: '1', 名: '值' })
    expect(await redis.hgetall('m:h')).toEqual({ a: 1, 名: '值' })
    await expect(
      memory.requester.request({ body: ['FROBNICATE', 'x'] }).then((answer) => answer.error),
    ).resolves.toMatch(/^ERR unknown command 'frobnicate'/)
  })

  it('runs multi atomically and scripts with a shebang', async () => {
    const tx = redis.multi()
    tx.set('m:a', '1')
    tx.incr('m:a')
    tx.get('m:a')
    expect(await tx.exec()).toEqual(['OK', 2, 2])

    const script = redis.createScript<number>(RATELIMIT_STYLE_SCRIPT)
    expect(await script.exec(['m:s'], [])).toBe(1)
    expect(await script.exec(['m:s'], [])).toBe(2)
    expect(await redis.scriptExists(script.sha1)).toEqual([1])
  })
})
