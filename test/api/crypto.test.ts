import { afterAll, describe, expect, it } from 'vitest'
import {
  blindIndex,
  decryptPii,
  encryptPii,
  parseKeyList,
  piiContext,
  resetPiiKeysForTests,
} from '../../api/_lib/crypto'
import { setEnv } from '../support/env'

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64')

describe('personal data at rest (AES-256-GCM, blind index)', () => {
  const restore = setEnv({ PII_KEYS: `1:${key(1)}`, PII_KEY_VERSION: '1', PII_INDEX_KEY: key(9) })
  afterAll(() => {
    restore()
    resetPiiKeysForTests()
  })

  it('round-trips a value, with the key version in the ciphertext and a fresh IV each time', async () => {
    const context = piiContext('intake:a', 'idNumber')
    const first = await encryptPii('11010519491231002X', context)
    const second = await encryptPii('11010519491231002X', context)
    expect(first).toMatch(/^v1\./)
    expect(first).not.toBe(second)
    expect(first).not.toContain('1101051949')
    expect(await decryptPii(first, context)).toBe('11010519491231002X')
  })

  it('refuses a ciphertext moved to another record or field', async () => {
    const sealed = await encryptPii('13800138000', piiContext('intake:a', 'mobile'))
    await expect(decryptPii(sealed, piiContext('intake:b', 'mobile'))).rejects.toThrow()
    await expect(decryptPii(sealed, piiContext('intake:a', 'idNumber'))).rejects.toThrow()
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`
    await expect(decryptPii(tampered, piiContext('intake:a', 'mobile'))).rejects.toThrow()
  })

  it('reads old values after a key rotation and writes new ones with the new key', async () => {
    const old = await encryptPii('13800138000', 'intake:r:mobile')
    process.env.PII_KEYS = `1:${key(1)},2:${key(2)}`
    process.env.PII_KEY_VERSION = '2'
    // The environment is parsed once per process: rotate by re-reading it in a fresh module graph.
    const { vi } = await import('vitest')
    vi.resetModules()
    const fresh = await import('../../api/_lib/crypto')
    const rotated = await fresh.encryptPii('13800138000', 'intake:r:mobile')
    expect(rotated).toMatch(/^v2\./)
    expect(await fresh.decryptPii(old, 'intake:r:mobile')).toBe('13800138000')
  })

  it('indexes blindly: the same value gives the same index, purposes never collide', async () => {
    const a = await blindIndex('idNumber', '11010519491231002X')
    expect(a).toBe(await blindIndex('idNumber', '11010519491231002X'))
    expect(a).not.toBe(await blindIndex('mobile', '11010519491231002X'))
    expect(a).not.toContain('110105')
  })

  it('rejects malformed key lists loudly', () => {
    expect(() => parseKeyList('1:short')).toThrow(/32 bytes/)
    expect(() => parseKeyList(`x:${key(1)}`)).toThrow(/whole numbers/)
    expect(parseKeyList(`1:${key(1)},2:${key(2)}`).size).toBe(2)
  })
})
