import { createHash } from 'node:crypto'
import { errors, type Requester, type UpstashRequest, type UpstashResponse } from '@upstash/redis'
import { ErrorReply, MultiErrorReply } from 'redis'

/** What Upstash answers for one command: its raw Redis reply, or the Redis error message. */
export type UpstashResult = { result: unknown } | { error: string }

/** A pipeline or transaction answer: one entry per command, or one error for the whole request. */
export type UpstashBatchResult = UpstashResult[] | { error: string }

/** The part of a node-redis `client.multi()` the forwarder uses. */
export interface RedisMultiLike {
  addCommand(args: string[]): unknown
  exec(): Promise<unknown>
}

/**
 * The part of a node-redis v5 client the forwarder uses. Redis error replies must reject with
 * node-redis `ErrorReply` (or resolve inside EXEC replies as `ErrorReply` entries); any other
 * rejection is treated as a connection failure and thrown on.
 */
export interface RedisClientLike {
  sendCommand(args: string[]): Promise<unknown>
  multi(): RedisMultiLike
  readonly isReady?: boolean
}

export interface ForwarderOptions {
  /**
   * What to do with a `#!lua …` shebang line in EVAL / EVAL_RO / SCRIPT LOAD scripts:
   * `'filter'` (default) drops the flags Redis 7.0 does not know (e.g. `allow-key-locking`, which
   * `@upstash/ratelimit` sets); `'strip'` removes the whole line, for engines without shebang support.
   */
  shebang?: 'filter' | 'strip'
}

/** Executes Upstash-shaped requests (command arrays as JSON decoded them) against a Redis client. */
export interface StoreForwarder {
  single(command: unknown): Promise<UpstashResult>
  pipeline(commands: unknown): Promise<UpstashBatchResult>
  multiExec(commands: unknown): Promise<UpstashBatchResult>
}

/** A `Requester` for `new Redis(requester)` plus its lifecycle. */
export interface StoreRequesterHandle {
  requester: Requester
  /** Resolves once the engine can take commands; rejects with `StoreUnavailableError` if it cannot in time. */
  ready(): Promise<void>
  close(): Promise<void>
}

/** Flags Redis 7.0 accepts in a script shebang; anything else makes it refuse the script. */
const KNOWN_SHEBANG_FLAGS = new Set([
  'no-writes',
  'allow-oom',
  'allow-stale',
  'no-cluster',
  'allow-cross-slot-keys',
])

/**
 * Commands that would change the state of the one connection every request shares (transactions,
 * database, pub/sub, protocol) or block it for everyone. Upstash REST has no such per-connection state.
 */
const REFUSED_COMMANDS = new Set([
  'MULTI',
  'EXEC',
  'DISCARD',
  'WATCH',
  'UNWATCH',
  'SELECT',
  'SWAPDB',
  'SUBSCRIBE',
  'PSUBSCRIBE',
  'SSUBSCRIBE',
  'UNSUBSCRIBE',
  'PUNSUBSCRIBE',
  'SUNSUBSCRIBE',
  'MONITOR',
  'QUIT',
  'RESET',
  'HELLO',
  'AUTH',
  'CLIENT',
  'SYNC',
  'PSYNC',
  'REPLCONF',
  'SHUTDOWN',
  'BLPOP',
  'BRPOP',
  'BRPOPLPUSH',
  'BLMOVE',
  'BLMPOP',
  'BZPOPMIN',
  'BZPOPMAX',
  'BZMPOP',
  'WAIT',
  'WAITAOF',
])

/** Script mappings kept at most; scripts are few, this only stops a misbehaving caller growing memory. */
const MAX_SCRIPT_MAPPINGS = 1000

type Prepared = { args: string[]; answer?: (reply: unknown) => unknown } | { error: string }

function sha1(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex')
}

/** `Array.isArray` narrows to `any[]`; this keeps JSON input `unknown` all the way down. */
function isArray(value: unknown): value is unknown[] {
  return Array.isArray(value)
}

function isReplyError(error: unknown): error is ErrorReply {
  return error instanceof ErrorReply
}

/**
 * Rewrites the shebang line of a Lua script so Redis 7.0 accepts it; returns the script unchanged
 * when there is nothing to rewrite.
 */
export function rewriteScriptShebang(script: string, mode: 'filter' | 'strip' = 'filter'): string {
  if (!script.startsWith('#!')) return script
  const end = script.indexOf('\n')
  const line = end === -1 ? script : script.slice(0, end)
  // The newline stays so line numbers in Lua error messages still match the caller's source.
  const rest = end === -1 ? '' : script.slice(end)
  if (mode === 'strip') return rest
  const [engine = '', ...options] = line.slice(2).trim().split(/\s+/)
  const kept: string[] = []
  for (const option of options) {
    if (!option.startsWith('flags=')) {
      kept.push(option)
      continue
    }
    const flags = option
      .slice('flags='.length)
      .split(',')
      .filter((flag) => KNOWN_SHEBANG_FLAGS.has(flag))
    if (flags.length > 0) kept.push(`flags=${flags.join(',')}`)
  }
  const rebuilt = [`#!${engine}`, ...kept].join(' ')
  return rebuilt === line ? script : rebuilt + rest
}

function toArgs(command: unknown): string[] | { error: string } {
  if (!isArray(command) || command.length === 0) {
    return { error: 'ERR a command must be a non-empty array of strings, numbers or booleans' }
  }
  const args: string[] = []
  for (const [index, item] of command.entries()) {
    if (typeof item === 'string') args.push(item)
    else if (typeof item === 'number' || typeof item === 'boolean') args.push(String(item))
    else return { error: `ERR command argument ${index} must be a string, number or boolean` }
  }
  return args
}

/**
 * Creates a forwarder that runs Upstash REST requests against a node-redis client: validates and
 * stringifies commands, makes Lua shebangs acceptable to Redis 7.0 (mapping the caller's script
 * sha1 to the rewritten one), and answers with raw replies (never base64: that is the HTTP layer's
 * business). Redis errors become `{ error }`; connection failures are thrown.
 */
export function createForwarder(client: RedisClientLike, options: ForwarderOptions = {}): StoreForwarder {
  const shebangMode = options.shebang ?? 'filter'
  // sha1 of the script as the caller sent it → sha1 of what Redis actually cached.
  const shaMap = new Map<string, string>()

  function rewriteScript(script: string): { script: string; originalSha?: string } {
    const rewritten = rewriteScriptShebang(script, shebangMode)
    if (rewritten === script) return { script }
    const originalSha = sha1(script)
    if (!shaMap.has(originalSha)) {
      if (shaMap.size >= MAX_SCRIPT_MAPPINGS) {
        const oldest = shaMap.keys().next()
        if (!oldest.done) shaMap.delete(oldest.value)
      }
      shaMap.set(originalSha, sha1(rewritten))
    }
    return { script: rewritten, originalSha }
  }

  function mapSha(sha: string): string {
    return shaMap.get(sha.toLowerCase()) ?? sha
  }

  function prepare(command: unknown): Prepared {
    const args = toArgs(command)
    if (!Array.isArray(args)) return args
    const name = (args[0] ?? '').toUpperCase()
    if (REFUSED_COMMANDS.has(name))
      return { error: `ERR command '${name}' is not supported over this connection` }
    const second = args[1]
    switch (name) {
      case 'EVAL':
      case 'EVAL_RO':
        if (second !== undefined) args[1] = rewriteScript(second).script
        break
      case 'EVALSHA':
      case 'EVALSHA_RO':
        if (second !== undefined) args[1] = mapSha(second)
        break
      case 'SCRIPT': {
        const sub = (second ?? '').toUpperCase()
        const body = args[2]
        if (sub === 'LOAD' && body !== undefined) {
          const { script, originalSha } = rewriteScript(body)
          args[2] = script
          // The client hashes the script it holds; answering Redis's sha would make it call EVALSHA
          // with a sha it cannot compute, so it gets the original back (mapped again on EVALSHA).
          if (originalSha !== undefined) {
            return { args, answer: (reply) => (typeof reply === 'string' ? originalSha : reply) }
          }
        } else if (sub === 'EXISTS') {
          for (let index = 2; index < args.length; index++) {
            const sha = args[index]
            if (sha !== undefined) args[index] = mapSha(sha)
          }
        }
        break
      }
      case 'XREAD':
      case 'XREADGROUP':
        if (args.some((arg) => arg.toUpperCase() === 'BLOCK')) {
          return { error: `ERR blocking ${name} is not supported over this connection` }
        }
        break
    }
    return { args }
  }

  async function run(prepared: Prepared): Promise<UpstashResult> {
    if ('error' in prepared) return { error: prepared.error }
    try {
      const reply = await client.sendCommand(prepared.args)
      return { result: prepared.answer ? prepared.answer(reply) : reply }
    } catch (error) {
      if (isReplyError(error)) return { error: error.message }
      throw error
    }
  }

  return {
    single(command) {
      return run(prepare(command))
    },

    async pipeline(commands) {
      if (!isArray(commands) || commands.length === 0) {
        return { error: 'ERR a pipeline must be a non-empty array of commands' }
      }
      // All sendCommand calls happen in this tick, so node-redis writes them out as one batch.
      return Promise.all(commands.map((command) => run(prepare(command))))
    },

    async multiExec(commands) {
      if (!isArray(commands) || commands.length === 0) {
        return { error: 'ERR a transaction must be a non-empty array of commands' }
      }
      const prepared: { args: string[]; answer?: (reply: unknown) => unknown }[] = []
      for (const command of commands) {
        const one = prepare(command)
        // Like a queue-time error in Redis: nothing of the transaction runs.
        if ('error' in one) return { error: one.error }
        prepared.push(one)
      }
      // node-redis queues MULTI…EXEC even while offline (disableOfflineQueue only guards
      // sendCommand); it would then run after the caller was told the store is down.
      if (client.isReady === false) throw new Error('Redis connection is not ready')
      const multi = client.multi()
      for (const one of prepared) multi.addCommand(one.args)
      let replies: unknown
      try {
        replies = await multi.exec()
      } catch (error) {
        // A failing command inside EXEC does not undo the others; node-redis reports all replies.
        if (error instanceof MultiErrorReply) replies = error.replies
        else if (isReplyError(error)) return { error: error.message }
        else throw error
      }
      if (!isArray(replies)) throw new Error('Redis answered EXEC with something other than an array')
      return replies.map((reply, index): UpstashResult => {
        if (isReplyError(reply)) return { error: reply.message }
        const answer = prepared[index]?.answer
        return { result: answer ? answer(reply) : reply }
      })
    },
  }
}

/**
 * Routes one `@upstash/redis` client request to a forwarder, as the Upstash REST endpoints would:
 * no path → one command, `['pipeline']`, `['multi-exec']`. A whole-request error (e.g. a
 * transaction refused at queue time) throws `UpstashError`, as the HTTP client does on a 400,
 * because the client would otherwise call `.map` on a non-array.
 */
export async function forwardRequest(
  forwarder: StoreForwarder,
  req: UpstashRequest,
): Promise<UpstashResponse<unknown> | UpstashResult[]> {
  const path = req.path ?? []
  let answer: UpstashResult | UpstashBatchResult
  if (path.length === 0) answer = await forwarder.single(req.body)
  else if (path.length === 1 && path[0] === 'pipeline') answer = await forwarder.pipeline(req.body)
  else if (path.length === 1 && path[0] === 'multi-exec') answer = await forwarder.multiExec(req.body)
  else throw new errors.UpstashError('ERR unsupported request path')
  if (path.length > 0 && !Array.isArray(answer) && 'error' in answer)
    throw new errors.UpstashError(answer.error)
  return answer
}
