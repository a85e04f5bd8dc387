/**
 * Which station a resident arrived from, whatever the door:
 * - H5 and in-app navigation: `?s=CQ0001`;
 * - a WeChat 小程序码 (`wxacode.getUnlimited`): the page gets `scene`, URL-encoded, at most 32
 *   visible characters — we write `s=CQ0001` there
 *   (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/qr-code/getUnlimitedQRCode.html);
 * - a plain-link QR opened in WeChat ("扫普通链接二维码打开小程序"): `q` holds the whole scanned
 *   URL, URL-encoded, e.g. `https%3A%2F%2Fexample.cn%2Fs%2FCQ0001`;
 * - the same QR opened in Alipay: the scanned URL arrives as `qrCode`.
 * Answers the code, upper-case, or null.
 */
const CODE = /^[A-Z0-9]{4,12}$/

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function fromUrl(url: string): string | null {
  const match = /\/s\/([A-Za-z0-9]{4,12})(?:[/?#]|$)/.exec(url)
  return match?.[1] ? match[1].toUpperCase() : null
}

function normalise(code: string | undefined | null): string | null {
  if (!code) return null
  const upper = code.trim().toUpperCase()
  return CODE.test(upper) ? upper : null
}

/** How a resident arrived: a link inside the app, a 小程序码, or a plain-link QR scanned in WeChat or Alipay. */
export type ArrivalVia = 'link' | 'wxacode' | 'wechat_qr' | 'alipay_qr'

export interface Arrival {
  code: string
  via: ArrivalVia
}

/** The code and the door it came through; `s` is a station code, the others carry a poster code. */
export function arrivalFromLaunch(params: Record<string, string | undefined>): Arrival | null {
  const direct = normalise(params.s)
  if (direct) return { code: direct, via: 'link' }
  if (params.scene) {
    const scene = safeDecode(params.scene)
    const match = /(?:^|&)s=([A-Za-z0-9]{4,12})(?:&|$)/.exec(scene)
    const code = normalise(match?.[1] ?? scene)
    if (code) return { code, via: 'wxacode' }
  }
  for (const [key, via] of [
    ['q', 'wechat_qr'],
    ['qrCode', 'alipay_qr'],
  ] as const) {
    const value = params[key]
    if (!value) continue
    const code = fromUrl(safeDecode(value))
    if (code) return { code, via }
  }
  return null
}

export function stationCodeFromLaunch(params: Record<string, string | undefined>): string | null {
  return arrivalFromLaunch(params)?.code ?? null
}

/**
 * The `scene` value a 小程序码 carries (≤ 32 characters by WeChat's rule). It holds the station's
 * current poster code, so re-issuing the code retires printed 小程序码 as well as printed QR links.
 */
export function sceneFor(code: string): string {
  const scene = `s=${code}`
  if (scene.length > 32) throw new Error('scene longer than 32 characters')
  return scene
}
