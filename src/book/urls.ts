/**
 * Where the pocket-book pages live (the `book` subpackage). Import-free on purpose: the 口袋书 tab
 * in the main package links here without pulling the subpackage's code into it.
 */
export const ENTRY_URL = '/book/pages/entry/index'
export const SEARCH_URL = '/book/pages/search/index'
export const MATCHER_URL = '/book/pages/matcher/index'

/** An entry's page; also what a WeChat share opens. */
export function entryUrl(id: string): string {
  return `${ENTRY_URL}?id=${encodeURIComponent(id)}`
}

/** The search page for a query, with the tab's filters when set. */
export function searchUrl(
  q: string,
  filter: { category?: string; group?: string; region?: string } = {},
): string {
  const parts = [`q=${encodeURIComponent(q)}`]
  for (const key of ['category', 'group', 'region'] as const) {
    const value = filter[key]
    if (value) parts.push(`${key}=${encodeURIComponent(value)}`)
  }
  return `${SEARCH_URL}?${parts.join('&')}`
}
