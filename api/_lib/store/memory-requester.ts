import { createHash, randomUUID } from 'node:crypto'
import type { Requester, UpstashRequest, UpstashResponse } from '@upstash/redis'
import { ErrorReply } from 'redis'
import { StoreUnavailableError } from './errors'
import { createForwarder, forwardRequest, type RedisClientLike, type StoreRequesterHandle } from './forwarder'

/** What the in-process engine cannot do, in plain words for the start-up warning. */
export const MEMORY_ENGINE_LIMITATIONS: string[] = [
  'No persistence: all data lives in this process and is lost when it stops.',
  'Single process only: other processes or server instances do not see the same data.',
  'Lua scripts run in an emulator that supports only part of Redis scripting; script flags are ignored and errors inside scripts can go unnoticed.',
  'The engine ignores lowercase command options such as nx or ex (they are upper-cased for SET only).',
  'Many commands are missing, and some errors differ from Redis (for example INCR on a hash gives no WRONGTYPE error).',
]

/** Mock methods that are connection plumbing or per-connection state, not data commands. */
const NOT_COMMANDS = new Set([
  'connect',
  'disconnect',
  'quit',
  'duplicate',
  'subscribe',
  'psubscribe',
  'unsubscribe',
  'punsubscribe',
  'watch',
  'unwatch',
  'discard',
  'multi',
  'exec',
  'pipeline',
  'readonly',
  'readwrite',
  'replconf',
  'replicaof',
  'slaveof',
  'failover',
  'cluster',
  'asking',
  'auth',
  'save',
  'bgsave',
  'bgrewriteaof',
  'select',
])

interface Engine {
  instance: Record<string, unknown>
  commands: Set<string>
}

function sha1(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex')
}

async function loadEngine(): Promise<Engine> {
  // Loaded on first use: ioredis-mock is only needed when no real Redis exists.
  const { default: RedisMock } = await import('ioredis-mock')
  // ioredis-mock shares data between instances with the same host:port; a unique host isolates us.
  const instance = new RedisMock({ host: `memory-${randomUUID()}` }) as unknown as Record<string, unknown>
  const commands = new Set(
    Object.keys(instance).filter(
      (name) => /^[a-z]+$/.test(name) && !NOT_COMMANDS.has(name) && typeof instance[name] === 'function',
    ),
  )
  return { instance, commands }
}

/** Turns ioredis-mock answers into what node-redis would hand over for the same Redis reply. */
function normalise(reply: unknown): unknown {
  if (reply === undefined || reply === null) return null
  if (typeof reply === 'string') return reply
  if (typeof reply === 'number') {
    // The mock answers NaN where Redis refuses (e.g. INCR on a non-number).
    if (!Number.isFinite(reply)) throw new ErrorReply('ERR value is not an integer or out of range')
    return reply
  }
  // Lua true/false convert to 1/nil in Redis.
  if (typeof reply === 'boolean') return reply ? 1 : null
  if (Buffer.isBuffer(reply)) return reply.toString('utf8')
  if (Array.isArray(reply)) return reply.map((item: unknown) => normalise(item))
  // ioredis turns HGETALL into an object; Redis (and the Upstash client) use a flat array.
  if (typeof reply === 'object')
    return Object.entries(reply).flatMap(([key, value]) => [key, normalise(value)])
  return String(reply)
}

function toReplyError(error: unknown): ErrorReply {
  if (error instanceof ErrorReply) return error
  const message = error instanceof Error ? error.message : String(error)
  // Redis errors start with an upper-case code (ERR, WRONGTYPE, NOSCRIPT…); the mock's often do not.
  return new ErrorReply(/^[A-Z]+ /.test(message) ? message : `ERR ${message}`)
}

/**
 * A node-redis-shaped client over ioredis-mock. Everything runs through one promise chain, so a
 * transaction (and every single command) is atomic within the process.
 */
function createMemoryClient(): { client: RedisClientLike; ready(): Promise<void>; close(): Promise<void> } {
  let engine: Promise<Engine> | undefined
  let closed = false
  let tail: Promise<unknown> = Promise.resolve()
  // sha1 → script, for EVALSHA / SCRIPT: the mock has no SCRIPT command.
  const scripts = new Map<string, string>()

  function getEngine(): Promise<Engine> {
    engine ??= loadEngine()
    return engine
  }

  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = tail.then(task, task)
    tail = run.catch(() => undefined)
    return run
  }

  async function call(name: string, args: string[]): Promise<unknown> {
    const { instance, commands } = await getEngine()
    const method = instance[name]
    if (!commands.has(name) || typeof method !== 'function') {
      // Never echo arguments: they can hold personal data.
      throw new ErrorReply(`ERR unknown command '${name}' (not supported by the in-memory engine)`)
    }
    let reply: unknown
    try {
      reply = await method.apply(instance, args)
    } catch (error) {
      throw toReplyError(error)
    }
    return normalise(reply)
  }

  async function execute(args: string[]): Promise<unknown> {
    if (closed) throw new StoreUnavailableError('The in-memory engine has been closed')
    const [rawName = '', ...rest] = args
    const name = rawName.toLowerCase()
    switch (name) {
      case 'eval':
      case 'eval_ro': {
        const script = rest[0] ?? ''
        scripts.set(sha1(script), script)
        return call('eval', rest)
      }
      case 'evalsha':
      case 'evalsha_ro': {
        const script = scripts.get((rest[0] ?? '').toLowerCase())
        if (script === undefined) throw new ErrorReply('NOSCRIPT No matching script. Please use EVAL.')
        return call('eval', [script, ...rest.slice(1)])
      }
      case 'script': {
        const sub = (rest[0] ?? '').toLowerCase()
        if (sub === 'load' && rest[1] !== undefined) {
          const sha = sha1(rest[1])
          scripts.set(sha, rest[1])
          return sha
        }
        if (sub === 'exists') return rest.slice(1).map((sha) => (scripts.has(sha.toLowerCase()) ? 1 : 0))
        if (sub === 'flush') {
          scripts.clear()
          return 'OK'
        }
        throw new ErrorReply(`ERR unknown SCRIPT subcommand (not supported by the in-memory engine)`)
      }
      case 'set':
        // The mock only understands upper-case SET options, and the Upstash client sends lowercase.
        return call('set', [...rest.slice(0, 2), ...rest.slice(2).map((option) => option.toUpperCase())])
      default:
        return call(name, rest)
    }
  }

  const client: RedisClientLike = {
    sendCommand(args) {
      return exclusive(() => execute(args))
    },
    multi() {
      const queued: string[][] = []
      return {
        addCommand(args: string[]) {
          queued.push(args)
        },
        exec() {
          return exclusive(async () => {
            const { commands } = await getEngine()
            for (const args of queued) {
              const name = (args[0] ?? '').toLowerCase()
              const scripted = ['eval', 'eval_ro', 'evalsha', 'evalsha_ro', 'script'].includes(name)
              // Like a queue-time error in Redis: nothing runs.
              if (!scripted && !commands.has(name)) {
                throw new ErrorReply(`ERR unknown command '${name}' (not supported by the in-memory engine)`)
              }
            }
            const replies: unknown[] = []
            for (const args of queued) {
              try {
                replies.push(await execute(args))
              } catch (error) {
                if (!(error instanceof ErrorReply)) throw error
                replies.push(error)
              }
            }
            return replies
          })
        },
      }
    },
  }

  return {
    client,
    async ready() {
      await getEngine()
    },
    async close() {
      closed = true
      if (!engine) return
      const { instance } = await engine
      const disconnect = instance.disconnect
      if (typeof disconnect === 'function') disconnect.call(instance)
    },
  }
}

/**
 * An in-process fallback store for when no redis-server exists (see
 * {@link MEMORY_ENGINE_LIMITATIONS}): a `Requester` for `new Redis(requester)` over ioredis-mock,
 * with the same request handling as the TCP requester (validation, pipelines, MULTI/EXEC).
 */
export function createMemoryRequester(): StoreRequesterHandle {
  const memory = createMemoryClient()
  // The mock cannot parse any shebang line, not even one Redis 7.0 would accept.
  const forwarder = createForwarder(memory.client, { shebang: 'strip' })
  const requester: Requester = {
    async request<TResult>(req: UpstashRequest): Promise<UpstashResponse<TResult>> {
      try {
        const answer = await forwardRequest(forwarder, req)
        return answer as UpstashResponse<TResult>
      } catch (error) {
        if (
          error instanceof Error &&
          (error.name === 'UpstashError' || error.name === 'StoreUnavailableError')
        ) {
          throw error
        }
        throw new StoreUnavailableError('The in-memory engine failed', { cause: error })
      }
    },
  }
  return {
    requester,
    async ready() {
      try {
        await memory.ready()
      } catch (error) {
        throw new StoreUnavailableError('The in-memory engine could not be loaded', { cause: error })
      }
    },
    close: memory.close,
  }
}
