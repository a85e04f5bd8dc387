import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkIdNumber } from '../../src/shared/validators'
import { SWEEP_DIR } from '../support/sweep'

/**
 * Runs after the whole suite (`npm test` runs it second, see vitest.sweep.config.ts): every Redis
 * value and every log line the suite produced must hold no plaintext 身份证号 and no mobile number.
 */
const ID_CANDIDATE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g
const MOBILE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/g

function files(): { name: string; text: string }[] {
  return readdirSync(SWEEP_DIR).map((name) => ({ name, text: readFileSync(join(SWEEP_DIR, name), 'utf8') }))
}

describe('personal data after the whole test suite', () => {
  it('has dumps to read: every Redis of the suite and its logs, intakes among them', () => {
    const all = files()
    expect(all.filter((file) => file.name.startsWith('redis-')).length).toBeGreaterThanOrEqual(5)
    expect(all.filter((file) => file.name.startsWith('logs-')).length).toBeGreaterThanOrEqual(3)
    // Encrypted intakes were stored (and are being checked), not just stations.
    expect(
      all.some(
        (file) => /ds:intake:[0-9a-f-]{36}\t/.test(file.text) && file.text.includes('"pii":{"name":"v1.'),
      ),
    ).toBe(true)
  })

  it('finds no plaintext 身份证号 in any Redis value or log line', () => {
    const leaks: string[] = []
    for (const file of files()) {
      for (const match of file.text.matchAll(ID_CANDIDATE)) {
        if (checkIdNumber(match[0]).ok) leaks.push(`${file.name}: ${match[0].slice(0, 6)}…`)
      }
    }
    expect(leaks).toEqual([])
  })

  it('finds no mobile number in any Redis value or log line', () => {
    const leaks: string[] = []
    for (const file of files()) {
      for (const match of file.text.matchAll(MOBILE)) leaks.push(`${file.name}: ${match[0].slice(0, 3)}…`)
    }
    expect(leaks).toEqual([])
  })
})
