import { env, isProduction } from './env'

/**
 * Personal data at rest (身份证号, mobile, name): AES-256-GCM through WebCrypto, so the same code
 * runs on Node and on an edge runtime.
 *
 * - Ciphertext format: `v{version}.{iv}.{ciphertext+tag}`, base64url parts. The key version is in
 *   the value, so keys rotate without re-encrypting: new writes use `PII_KEY_VERSION`, old values
 *   are read with the key of the version they carry (`PII_KEYS` keeps every version still in use).
 * - Associated data binds each value to its record and field (`intake:<id>:idNumber`): a ciphertext
 *   copied into another record or field fails to decrypt instead of showing the wrong person.
 * - Duplicate detection uses a blind index: HMAC-SHA-256 of the normalised value under a separate
 *   key (`PII_INDEX_KEY`), so the index reveals nothing without that key and the encryption key
 *   alone cannot be used to test guesses against it.
 *
 * Outside production, missing keys are generated per process; `npm start` keeps its own under
 * `.data/` so the embedded store's data stays readable across restarts.
 */

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const bytes = Buffer.from(text, 'base64')
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
}

function b64url(bytes: ArrayBuffer | Uint8Array): string {
  return Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64url')
}

function fromB64url(text: string): Uint8Array<ArrayBuffer> {
  const bytes = Buffer.from(text, 'base64url')
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
}

interface Keys {
  current: number
  encryption: Map<number, CryptoKey>
  index: CryptoKey
}

let loaded: Promise<Keys> | undefined

function randomKey(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(32))
}

/** `PII_KEYS=1:<base64 32 bytes>,2:<…>` → version → raw key. */
export function parseKeyList(text: string | undefined): Map<number, Uint8Array<ArrayBuffer>> {
  const keys = new Map<number, Uint8Array<ArrayBuffer>>()
  for (const entry of (text ?? '').split(',')) {
    const at = entry.indexOf(':')
    if (at <= 0) continue
    const version = Number(entry.slice(0, at).trim())
    const raw = fromBase64(entry.slice(at + 1).trim())
    if (!Number.isInteger(version) || version < 1)
      throw new Error('PII_KEYS: versions are whole numbers from 1')
    if (raw.length !== 32) throw new Error(`PII_KEYS: key ${version} must be 32 bytes (base64)`)
    keys.set(version, raw)
  }
  return keys
}

async function loadKeys(): Promise<Keys> {
  const config = env()
  const raw = parseKeyList(config.PII_KEYS)
  let indexRaw = config.PII_INDEX_KEY ? fromBase64(config.PII_INDEX_KEY) : undefined
  if (raw.size === 0 || !indexRaw) {
    if (isProduction(config)) throw new Error('PII_KEYS and PII_INDEX_KEY are required in production')
    if (raw.size === 0) raw.set(config.PII_KEY_VERSION, randomKey())
    indexRaw ??= randomKey()
  }
  if (indexRaw.length !== 32) throw new Error('PII_INDEX_KEY must be 32 bytes (base64)')
  if (!raw.has(config.PII_KEY_VERSION))
    throw new Error(`PII_KEYS has no key for PII_KEY_VERSION ${config.PII_KEY_VERSION}`)
  const encryption = new Map<number, CryptoKey>()
  for (const [version, bytes] of raw) {
    encryption.set(
      version,
      await crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']),
    )
  }
  const index = await crypto.subtle.importKey('raw', indexRaw, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  return { current: config.PII_KEY_VERSION, encryption, index }
}

function keys(): Promise<Keys> {
  loaded ??= loadKeys().catch((error: unknown) => {
    loaded = undefined
    throw error
  })
  return loaded
}

/** Test hook: forget loaded keys (after a test changes the environment). */
export function resetPiiKeysForTests(): void {
  loaded = undefined
}

/** Where a value belongs: its record and field, bound into the ciphertext as associated data. */
export function piiContext(record: string, field: string): string {
  return `${record}:${field}`
}

/** Encrypts one value for one record and field. */
export async function encryptPii(plaintext: string, context: string): Promise<string> {
  const { current, encryption } = await keys()
  const key = encryption.get(current)
  if (!key) throw new Error('no current PII key')
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
    key,
    encoder.encode(plaintext),
  )
  return `v${current}.${b64url(iv)}.${b64url(sealed)}`
}

/** Decrypts a value written by `encryptPii` for the same context; throws when it was not. */
export async function decryptPii(value: string, context: string): Promise<string> {
  const match = /^v(\d+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(value)
  if (!match?.[1] || !match[2] || !match[3]) throw new Error('not a PII ciphertext')
  const key = (await keys()).encryption.get(Number(match[1]))
  if (!key) throw new Error(`no PII key for version ${match[1]}`)
  const opened = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromB64url(match[2]), additionalData: encoder.encode(context) },
    key,
    fromB64url(match[3]),
  )
  return decoder.decode(opened)
}

/**
 * The blind index of a value: HMAC-SHA-256 under the index key, with a purpose tag so indexes of
 * different kinds of value never collide. Normalise before calling (upper-case 身份证号 X).
 */
export async function blindIndex(purpose: string, value: string): Promise<string> {
  const { index } = await keys()
  const mac = await crypto.subtle.sign('HMAC', index, encoder.encode(`${purpose}\u0000${value}`))
  return b64url(mac).slice(0, 32)
}
