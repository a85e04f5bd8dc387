/**
 * Where the intake pages live (the `intake` subpackage). Import-free on purpose: the home and 我的
 * pages in the main package link here without pulling the form's code into it.
 */
export const FORM_URL = '/intake/pages/form/index'
export const RECEIPT_URL = '/intake/pages/receipt/index'
export const MINE_URL = '/intake/pages/mine/index'
export const LOOKUP_URL = '/intake/pages/lookup/index'
export const CONFIRM_URL = '/intake/pages/confirm/index'

/** The station's form, `?s=<code>`: the only thing an intake URL carries. */
export function formUrl(station: string): string {
  return `${FORM_URL}?s=${encodeURIComponent(station)}`
}
