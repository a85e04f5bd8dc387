import { describe, expect, it, vi } from 'vitest'
import { uuidV4 } from './uuid'

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('uuidV4', () => {
  it('formats 16 random bytes as an RFC 9562 version-4 UUID', () => {
    const fixed = (bytes: Uint8Array) => bytes.set(Array.from({ length: 16 }, (_, i) => i * 17))
    expect(uuidV4(fixed)).toBe('00112233-4455-4677-8899-aabbccddeeff')
    expect(uuidV4((bytes) => bytes.fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff')
  })

  it('uses Web Crypto where there is one and gives a fresh key each time', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues')
    const keys = new Set(Array.from({ length: 500 }, () => uuidV4()))
    expect(spy).toHaveBeenCalledTimes(500)
    spy.mockRestore()
    expect(keys.size).toBe(500)
    for (const key of keys) expect(key).toMatch(V4)
  })

  it('still works in a mini-program engine without a global crypto', () => {
    vi.stubGlobal('crypto', undefined)
    try {
      const keys = new Set(Array.from({ length: 500 }, () => uuidV4()))
      expect(keys.size).toBe(500)
      for (const key of keys) expect(key).toMatch(V4)
    } finally {
      vi.unstubAllGlobals()
    }
    expect(typeof globalThis.crypto.getRandomValues).toBe('function')
  })
})
