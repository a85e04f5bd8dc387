import { describe, expect, it } from 'vitest'
import {
  ApiError,
  createApiClient,
  NetworkError,
  type TransportRequest,
  type TransportResponse,
} from './http'

function memoryTokens(initial: string | null = null) {
  let token = initial
  return {
    get: () => token,
    set: (next: string) => {
      token = next
    },
    clear: () => {
      token = null
    },
  }
}

function scripted(answers: (TransportResponse | Error)[]) {
  const seen: TransportRequest[] = []
  const transport = async (request: TransportRequest) => {
    seen.push(request)
    const next = answers.shift()
    if (!next) throw new Error('no more scripted answers')
    if (next instanceof Error) throw next
    return next
  }
  return { seen, transport }
}

const ok = (data: unknown): TransportResponse => ({ status: 200, headers: {}, data })
const noSleep = async () => {}

describe('the API client', () => {
  it('sends the bearer token and the query, and returns the parsed answer', async () => {
    const { seen, transport } = scripted([ok({ items: [1] })])
    const api = createApiClient({
      baseUrl: 'https://api.example',
      transport,
      tokens: memoryTokens('t0k'),
      sleep: noSleep,
    })
    const answer = await api.get<{ items: number[] }>('/api/v1/stations', {
      query: { region: '370200', kind: undefined },
    })
    expect(answer).toEqual({ items: [1] })
    expect(seen[0]?.url).toBe('https://api.example/api/v1/stations?region=370200')
    expect(seen[0]?.headers.Authorization).toBe('Bearer t0k')
  })

  it('retries an idempotent read after a network error and a 503, honouring Retry-After', async () => {
    const waits: number[] = []
    const { seen, transport } = scripted([
      new Error('offline'),
      { status: 503, headers: { 'retry-after': '2' }, data: null },
      ok('third time lucky'),
    ])
    const api = createApiClient({
      baseUrl: '',
      transport,
      tokens: memoryTokens(),
      sleep: async (ms) => {
        waits.push(ms)
      },
    })
    expect(await api.get('/x')).toBe('third time lucky')
    expect(seen).toHaveLength(3)
    expect(waits).toEqual([300, 2000])
  })

  it('never retries a POST without an idempotency key, and does with one', async () => {
    const plain = scripted([{ status: 503, headers: {}, data: null }])
    const api = createApiClient({
      baseUrl: '',
      transport: plain.transport,
      tokens: memoryTokens(),
      sleep: noSleep,
    })
    await expect(api.post('/create', { a: 1 })).rejects.toMatchObject({ code: 'unavailable', status: 503 })
    expect(plain.seen).toHaveLength(1)

    const keyed = scripted([new Error('reset'), ok({ receipt: 'R1' })])
    const safe = createApiClient({
      baseUrl: '',
      transport: keyed.transport,
      tokens: memoryTokens(),
      sleep: noSleep,
    })
    expect(await safe.post('/create', { a: 1 }, { idempotencyKey: 'k-1' })).toEqual({ receipt: 'R1' })
    expect(keyed.seen.map((r) => r.headers['Idempotency-Key'])).toEqual(['k-1', 'k-1'])
    expect(keyed.seen[0]?.body).toBe('{"a":1}')
  })

  it('turns an error answer into an ApiError with code, Chinese message and fields', async () => {
    const { transport } = scripted([
      {
        status: 400,
        headers: {},
        data: {
          error: {
            code: 'validation_failed',
            message: '填写的内容有误',
            fields: { mobile: ['手机号不正确'] },
          },
        },
      },
    ])
    const api = createApiClient({ baseUrl: '', transport, tokens: memoryTokens(), sleep: noSleep })
    const error = await api.post('/x', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      code: 'validation_failed',
      status: 400,
      fields: { mobile: ['手机号不正确'] },
    })
  })

  it('falls back to a code from the status when the answer is not ours (a proxy page)', async () => {
    const { transport } = scripted([{ status: 502, headers: {}, data: '<html>Bad Gateway</html>' }])
    const api = createApiClient({
      baseUrl: '',
      transport,
      tokens: memoryTokens(),
      retries: 0,
      sleep: noSleep,
    })
    await expect(api.get('/x')).rejects.toMatchObject({ code: 'unavailable', status: 502 })
  })

  it('gives up with a NetworkError after the retries, and forgets the token on 401', async () => {
    const down = scripted([new Error('a'), new Error('b'), new Error('c')])
    const api = createApiClient({
      baseUrl: '',
      transport: down.transport,
      tokens: memoryTokens(),
      sleep: noSleep,
    })
    await expect(api.get('/x')).rejects.toBeInstanceOf(NetworkError)
    expect(down.seen).toHaveLength(3)

    const tokens = memoryTokens('expired')
    const denied = scripted([
      { status: 401, headers: {}, data: { error: { code: 'unauthenticated', message: '请先登录' } } },
    ])
    const client = createApiClient({ baseUrl: '', transport: denied.transport, tokens, sleep: noSleep })
    await expect(client.get('/api/v1/me')).rejects.toMatchObject({ code: 'unauthenticated' })
    expect(tokens.get()).toBeNull()
  })
})

describe('session refresh in the API client', () => {
  it('rotates the refresh token once on a 401 and replays the request', async () => {
    let access = 'old-access'
    let refresh: string | null = 'refresh-1'
    const tokens = {
      get: () => access,
      set: (t: string) => {
        access = t
      },
      clear: () => {
        access = ''
        refresh = null
      },
      getRefresh: () => refresh,
      setRefresh: (t: string) => {
        refresh = t
      },
    }
    const { seen, transport } = scripted([
      { status: 401, headers: {}, data: { error: { code: 'unauthenticated', message: '请先登录' } } },
      ok({ accessToken: 'new-access', refreshToken: 'refresh-2' }),
      ok({ id: 'me' }),
    ])
    const api = createApiClient({ baseUrl: '', transport, tokens, sleep: noSleep })
    expect(await api.get('/api/v1/me')).toEqual({ id: 'me' })
    expect(seen.map((r) => r.url)).toEqual(['/api/v1/me', '/api/v1/auth/refresh', '/api/v1/me'])
    expect(seen[2]?.headers.Authorization).toBe('Bearer new-access')
    expect(refresh).toBe('refresh-2')
  })

  it('forgets the session when the refresh is refused, and sends anonymous requests without it', async () => {
    let access: string | null = 'old'
    const tokens = {
      get: () => access,
      set: (t: string) => {
        access = t
      },
      clear: () => {
        access = null
      },
      getRefresh: () => 'stale',
      setRefresh: () => {},
    }
    const { seen, transport } = scripted([
      { status: 401, headers: {}, data: null },
      { status: 401, headers: {}, data: null },
      ok({ ok: true }),
    ])
    const api = createApiClient({ baseUrl: '', transport, tokens, sleep: noSleep })
    await expect(api.get('/api/v1/me')).rejects.toMatchObject({ code: 'unauthenticated' })
    expect(access).toBeNull()
    access = 'again'
    await api.post('/api/v1/invitations/redeem', {}, { anonymous: true })
    expect(seen[2]?.headers.Authorization).toBeUndefined()
  })
})
