import QRCode from 'qrcode'
import { stationCodeSchema } from '../../../src/shared/schemas/common'

/**
 * QR codes for station posters. Error correction level M (ISO/IEC 18004: ~15 % of the codewords
 * recoverable) survives a scuffed or partly covered print without making the symbol much denser
 * than level L; the quiet zone is 4 modules, the standard's minimum, since scanners locate the
 * symbol by the white margin around its finder patterns.
 */
const QR_OPTIONS = {
  errorCorrectionLevel: 'M',
  margin: 4,
  color: { dark: '#000000', light: '#ffffff' },
} as const

/**
 * Default PNG scale: 10 px a module, a whole number so every module is an exact square. The poster
 * PDF leaves image interpolation off (PDF's default), so printers and pdftoppm enlarge the image
 * by repeating pixels and it prints as sharp as a larger one would, while the PNG (and the time
 * spent encoding and re-compressing it) stays small.
 */
const DEFAULT_MODULE_PIXELS = 10

/**
 * pngjs options for the qrcode renderer: 8-bit greyscale without alpha (PNG colour type 0). A QR
 * code is black on white; RGBA would make pdf-lib split out an alpha mask and store four times
 * the pixels. The qrcode typings only list the deflate options (deflateLevel 9 is its default), so
 * the pngjs ones pass through a constant rather than an object literal.
 */
const PNG_RENDERER = { deflateLevel: 9, colorType: 0, inputHasAlpha: true }

/**
 * The link a poster's QR code opens: `<origin>/s/<code>`.
 *
 * @param origin - the public site's origin, `http(s)://host[:port]`; a trailing slash is tolerated,
 *   a path, query, fragment or credentials are not (the link must not depend on where it is read).
 * @param code - the station's poster code (4–12 letters or digits, normalised to upper case).
 * @throws Error when the origin is not an http(s) origin or the code is not a station code.
 */
export function stationLink(origin: string, code: string): string {
  let url: URL
  try {
    url = new URL(origin)
  } catch (cause) {
    throw new Error(`poster origin is not a URL: ${JSON.stringify(origin)}`, { cause })
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`poster origin must be http(s): ${JSON.stringify(origin)}`)
  }
  if (
    url.pathname !== '/' ||
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== ''
  ) {
    throw new Error(`poster origin must be a bare origin without path, query or credentials: ${origin}`)
  }
  const parsed = stationCodeSchema.safeParse(code)
  if (!parsed.success) {
    throw new Error(`not a station code: ${JSON.stringify(code)}`)
  }
  return `${url.origin}/s/${parsed.data}`
}

/**
 * The QR code for `text` as a standalone SVG document (with a `viewBox`, so it scales to any size).
 *
 * @param text - what the code encodes, usually from {@link stationLink}.
 */
export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...QR_OPTIONS, type: 'svg' })
}

/**
 * The QR code for `text` as a PNG image, quiet zone included.
 *
 * @param text - what the code encodes, usually from {@link stationLink}.
 * @param options.size - width and height in pixels. By default 10 px a module (symbol and quiet
 *   zone), e.g. 370 px for a version 3 symbol; the qrcode package ignores a size too small to give
 *   every module a pixel.
 * @throws Error when the size is not a positive integer or the text is too long for a QR code.
 */
export async function qrPng(text: string, options: { size?: number } = {}): Promise<Buffer> {
  const { size } = options
  if (size !== undefined && (!Number.isInteger(size) || size <= 0)) {
    throw new Error(`QR PNG size must be a positive integer, got ${size}`)
  }
  const scale = size === undefined ? { scale: DEFAULT_MODULE_PIXELS } : { width: size }
  return QRCode.toBuffer(text, { ...QR_OPTIONS, ...scale, type: 'png' as const, rendererOpts: PNG_RENDERER })
}
