/**
 * How the staff pages word a consultation: the due clock, statuses, who wrote what, where it can
 * be handed on, and the reply that goes out — checked with the shared `ReplySchema`, the object
 * the API parses it with. Pure functions, no Taro.
 */
import { POLICY_CATEGORIES } from '../shared/catalog'
import { CONSULT_STATUSES, type ConsultationView, ReplySchema } from '../shared/schemas/consult'

const HOUR_MS = 3_600_000

export const INBOX_URL = '/staff/pages/inbox/index'
export const SCHEDULE_URL = '/staff/pages/schedule/index'

export function consultUrl(id: string): string {
  return `/staff/pages/consult/index?id=${encodeURIComponent(id)}`
}

/** Fired on `Taro.eventCenter` after a reply or transfer, so the inbox behind the thread reloads. */
export const CONSULT_CHANGED_EVENT = 'staff:consult-changed'

export type ConsultStatus = ConsultationView['status']

/** The inbox filter, in the order a clerk works: what waits first. */
export const INBOX_FILTERS: readonly (ConsultStatus | 'all')[] = [
  'all',
  'open',
  'reopened',
  'answered',
  'closed',
]

export function filterLabel(filter: ConsultStatus | 'all'): string {
  return filter === 'all' ? '全部' : CONSULT_STATUSES[filter]
}

export function consultStatusLabel(status: ConsultStatus): string {
  return CONSULT_STATUSES[status]
}

export function topicName(topic: string): string {
  return POLICY_CATEGORIES[topic as keyof typeof POLICY_CATEGORIES]?.name ?? topic
}

export type Due = { tone: 'overdue' | 'due'; text: string } | null

/**
 * The answer clock of a waiting case: “已超时” when the server says so or the due time has
 * passed, else the hours left, rounded up. Nothing once answered.
 */
export function dueOf(
  item: Pick<ConsultationView, 'status' | 'dueAt' | 'overdue'>,
  now: number = Date.now(),
): Due {
  if (item.status !== 'open' && item.status !== 'reopened') return null
  if (item.overdue) return { tone: 'overdue', text: '已超时' }
  if (!item.dueAt) return null
  const left = Date.parse(item.dueAt) - now
  if (left <= 0) return { tone: 'overdue', text: '已超时' }
  return { tone: 'due', text: `${Math.ceil(left / HOUR_MS)} 小时内答复` }
}

type Message = ConsultationView['messages'][number]

/** Who wrote a message, as staff see it: “居民”, or the colleague's name. */
export function staffSpeaker(message: Message): string {
  return message.from === 'resident' ? '居民' : (message.author ?? '工作人员')
}

/** The question, cut for a list row. */
export function questionExcerpt(view: Pick<ConsultationView, 'messages'>, max = 50): string {
  const text = (view.messages.find((message) => message.from === 'resident')?.text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/** Most entries an answer may point to (`ReplySchema.links`). */
export const MAX_LINKS = 5

/** Attaches an entry, or takes it off again; never more than five, never twice. */
export function toggleLink(links: readonly string[], id: string): string[] {
  if (links.includes(id)) return links.filter((link) => link !== id)
  return links.length >= MAX_LINKS ? [...links] : [...links, id]
}

/** Stations a case can be handed to: active, taking questions, not the one it is at. */
export function transferTargets<T extends { code: string; services: readonly string[]; status?: string }>(
  stations: readonly T[],
  current: string,
): T[] {
  return stations.filter(
    (station) =>
      station.code !== current && station.services.includes('consult') && station.status !== 'suspended',
  )
}

export type ReplyCheck =
  | { ok: true; body: { version: number; text: string; links?: string[]; close?: boolean } }
  | { ok: false; errors: Record<string, string[]> }

/** The reply as the API will take it, or the field errors in its words. */
export function buildReply(
  view: Pick<ConsultationView, 'version'>,
  text: string,
  links: readonly string[],
  close: boolean,
): ReplyCheck {
  const parsed = ReplySchema.safeParse({
    version: view.version,
    text,
    ...(links.length ? { links: [...links] } : {}),
    ...(close ? { close: true } : {}),
  })
  if (parsed.success) return { ok: true, body: parsed.data }
  const errors: Record<string, string[]> = {}
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '_')
    errors[key] = [...(errors[key] ?? []), issue.message]
  }
  return { ok: false, errors }
}
