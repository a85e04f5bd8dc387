/**
 * Where the consultation and appointment pages live (the `consult` subpackage). Import-free on
 * purpose: the home and 我的 pages in the main package link here without pulling the
 * subpackage's code (or zod) into it.
 */
export const ASK_URL = '/consult/pages/ask/index'
export const MY_CONSULTS_URL = '/consult/pages/mine/index'
export const THREAD_URL = '/consult/pages/thread/index'
export const BOOK_URL = '/consult/pages/book/index'
export const MY_BOOKINGS_URL = '/consult/pages/bookings/index'

/** The question form for a station, `?s=<code>`. */
export function askUrl(station: string): string {
  return `${ASK_URL}?s=${encodeURIComponent(station)}`
}

/** One consultation's thread; also what the WeChat “已答复” message opens. */
export function threadUrl(id: string): string {
  return `${THREAD_URL}?id=${encodeURIComponent(id)}`
}

/** The appointment picker for a station, `?s=<code>`. */
export function bookUrl(station: string): string {
  return `${BOOK_URL}?s=${encodeURIComponent(station)}`
}

/** A pocket-book entry (the `book` subpackage). */
export function policyEntryUrl(id: string): string {
  return `/book/pages/entry/index?id=${encodeURIComponent(id)}`
}
