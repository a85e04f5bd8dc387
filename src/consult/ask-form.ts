/**
 * The question form (我要咨询): what the resident has typed, kept on the device so a lost
 * connection costs nothing, and the one check that decides what is sent — the shared
 * `ConsultationCreateSchema`, the same object the API parses the request with. Plain code (no
 * Taro): the page passes the platform's storage in.
 */
import { POLICY_CATEGORIES } from '../shared/catalog'
import { type ConsultationCreate, ConsultationCreateSchema } from '../shared/schemas/consult'

/** The longest question the API takes (`plainText('问题', 500)`), counted the way zod counts. */
export const TEXT_MAX = 500

export type Contact = 'in_app' | 'phone'

export interface AskDraft {
  v: 1
  station: string
  topic: string
  text: string
  contact: Contact
  /** Not kept on the device: a mobile number is personal data, and is typed again. */
  mobile: string
}

export type FieldErrorMap = Record<string, string[]>

/** Where each field's message is shown: `#<id>-error`. */
export const FIELD_IDS: Record<string, string> = {
  topic: 'consult-topic',
  text: 'consult-text',
  contact: 'consult-contact',
  mobile: 'consult-mobile',
}

export const CONTACT_LABELS: Record<Contact, string> = {
  in_app: '在“我的咨询”里答复我',
  phone: '打电话给我',
}

export const TOPIC_ORDER = Object.keys(POLICY_CATEGORIES) as (keyof typeof POLICY_CATEGORIES)[]

export function emptyAskDraft(station: string): AskDraft {
  return { v: 1, station, topic: '', text: '', contact: 'in_app', mobile: '' }
}

/** The platform's synchronous key-value storage (`Taro.getStorageSync` and friends). */
export interface DraftStorage {
  get(key: string): unknown
  set(key: string, value: unknown): void
  remove(key: string): void
}

export function askDraftKey(station: string): string {
  return `doorstep.consult.draft.${station.toUpperCase()}`
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A stored draft for this station, or null; anything unexpected comes back empty. */
export function reviveAskDraft(raw: unknown, station: string): AskDraft | null {
  if (!isRecord(raw) || raw.v !== 1) return null
  if (typeof raw.station !== 'string' || raw.station.toUpperCase() !== station.toUpperCase()) return null
  const topic = typeof raw.topic === 'string' && raw.topic in POLICY_CATEGORIES ? raw.topic : ''
  const text = typeof raw.text === 'string' ? raw.text.slice(0, TEXT_MAX) : ''
  const contact: Contact = raw.contact === 'phone' ? 'phone' : 'in_app'
  if (!topic && !text.trim()) return null
  return { v: 1, station, topic, text, contact, mobile: '' }
}

export function loadAskDraft(storage: DraftStorage, station: string): AskDraft | null {
  try {
    return reviveAskDraft(storage.get(askDraftKey(station)), station)
  } catch {
    return null
  }
}

/** Keeps the draft (never the mobile number); an empty form removes it. */
export function saveAskDraft(storage: DraftStorage, draft: AskDraft): void {
  try {
    if (!draft.topic && !draft.text.trim()) storage.remove(askDraftKey(draft.station))
    else storage.set(askDraftKey(draft.station), { ...draft, mobile: '' })
  } catch {
    // A full or private store only costs the draft.
  }
}

export function clearAskDraft(storage: DraftStorage, station: string): void {
  try {
    storage.remove(askDraftKey(station))
  } catch {
    // Nothing to lose.
  }
}

/** “23/500” under the text box. */
export function counterLabel(text: string): string {
  return `${text.length}/${TEXT_MAX}`
}

/**
 * What the pocket-book is searched with while the resident types: the question with its
 * whitespace collapsed, from 2 characters on, cut to the search's 50-character limit.
 *
 * @returns null when there is not enough to search with yet.
 */
export function suggestionQuery(text: string): string | null {
  const compact = text.replace(/\s+/g, ' ').trim()
  if (compact.length < 2) return null
  return compact.slice(0, 50).trim()
}

/** zod issues as `{ field: [messages] }`, keyed by the first path segment. */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const errors: FieldErrorMap = {}
  for (const issue of issues) {
    const key = String(issue.path[0] ?? '_')
    const list = errors[key] ?? []
    if (!list.includes(issue.message)) list.push(issue.message)
    errors[key] = list
  }
  return errors
}

export type AskCheck = { ok: true; body: ConsultationCreate } | { ok: false; errors: FieldErrorMap }

/**
 * The request body, or the field errors in the words the API would use. The mobile number is
 * sent only when the resident asked to be called.
 */
export function buildAsk(draft: AskDraft, notify: boolean): AskCheck {
  const mobile = draft.contact === 'phone' ? draft.mobile.trim() : ''
  const parsed = ConsultationCreateSchema.safeParse({
    station: draft.station,
    topic: draft.topic || undefined,
    text: draft.text,
    contact: draft.contact,
    ...(mobile ? { mobile } : {}),
    notify,
  })
  if (parsed.success) return { ok: true, body: parsed.data }
  return { ok: false, errors: fieldErrors(parsed.error.issues) }
}
