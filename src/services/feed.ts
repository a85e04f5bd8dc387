/**
 * The 消息 tab's plain logic: what `GET /api/v1/feed` answers and how one announcement is labelled
 * in the list. Main package: no Taro, no zod (the announcement's type only).
 */
import { POLICY_CATEGORIES } from '../shared/catalog'
import type { AnnouncementView } from '../shared/schemas/announce'
import { chinaTime } from './pocketbook'

export type FeedItem = AnnouncementView

/** What `GET /api/v1/feed` answers: newest first, each with its read state. */
export interface Feed {
  items: FeedItem[]
  unread: number
}

/** Where the detail page lives (the `news` subpackage); import-free, so the tab pulls nothing in. */
export function newsUrl(id: string): string {
  return `/news/pages/detail/index?id=${encodeURIComponent(id)}`
}

/** “补贴”, “贷款”…; an unknown category is shown as it came. */
export function categoryName(category: string): string {
  return (POLICY_CATEGORIES as Record<string, { name: string } | undefined>)[category]?.name ?? category
}

/**
 * “已更正 · 2026-05-01 09:30”: the time of the latest correction, or null when there is none. The
 * resident sees that what they read may differ from what was first sent.
 */
export function correctionMark(corrections: FeedItem['corrections']): string | null {
  const latest = corrections.reduce<string | null>(
    (last, item) => (last === null || item.at > last ? item.at : last),
    null,
  )
  if (latest === null) return null
  const when = chinaTime(latest)
  return when ? `已更正 · ${when}` : '已更正'
}

/**
 * The feed's query for the resident's chosen station (the server finds its region and every
 * region above it); null without a station, when there is nothing to ask.
 */
export function feedQuery(station: string | null): { station: string } | null {
  return station ? { station } : null
}

/** Newest first by publication time (the server's order; kept when the list is changed locally). */
export function newestFirst<T extends Pick<FeedItem, 'publishAt'>>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => Date.parse(b.publishAt) - Date.parse(a.publishAt))
}

/** The feed once one item was opened: it reads as read without asking the server again. */
export function markedRead(feed: Feed, id: string): Feed {
  let changed = false
  const items = feed.items.map((item) => {
    if (item.id !== id || item.read) return item
    changed = true
    return { ...item, read: true }
  })
  return changed ? { items, unread: Math.max(0, feed.unread - 1) } : feed
}
