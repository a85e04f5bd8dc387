/**
 * A random UUID (RFC 9562 version 4) for `Idempotency-Key`s, on every target.
 *
 * Browsers have Web Crypto (`crypto.getRandomValues`); the WeChat and Alipay JavaScript engines
 * have no global `crypto`, and `wx.getRandomValues` answers asynchronously. An idempotency key
 * only has to be unique among one account's submits within a day, not secret, so where Web
 * Crypto is missing the bytes come from `Math.random` mixed with the clock.
 */

/** Fills `bytes` with random values. */
export type RandomSource = (bytes: Uint8Array) => void

interface WebCryptoLike {
  getRandomValues(bytes: Uint8Array): Uint8Array
}

function webCrypto(): WebCryptoLike | undefined {
  const candidate = (globalThis as { crypto?: Partial<WebCryptoLike> }).crypto
  return typeof candidate?.getRandomValues === 'function' ? (candidate as WebCryptoLike) : undefined
}

/** Web Crypto where there is one; otherwise `Math.random` salted with the time. */
export const defaultRandom: RandomSource = (bytes) => {
  const crypto = webCrypto()
  if (crypto) {
    crypto.getRandomValues(bytes)
    return
  }
  const now = Date.now()
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = (Math.floor(Math.random() * 256) ^ (now / 2 ** ((i % 6) * 8))) & 0xff
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/**
 * @example
 * uuidV4() // 'f47ac10b-58cc-4372-a567-0e02b2c3d479'
 */
export function uuidV4(random: RandomSource = defaultRandom): string {
  const bytes = new Uint8Array(16)
  random(bytes)
  // RFC 9562 §5.4: version 4 in the high nibble of byte 6, variant 10xx in byte 8.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(bytes, (byte) => HEX[byte] ?? '00').join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
