/**
 * How a resident's consultation reads: who said what, its status, whether it can be rated or
 * followed up. Pure functions over the API's `ConsultationView`, so the list, the thread and a
 * unit test agree.
 */
import { POLICY_CATEGORIES } from '../shared/catalog'
import { CONSULT_STATUSES, type ConsultationView, RATINGS } from '../shared/schemas/consult'

type Message = ConsultationView['messages'][number]
type Status = ConsultationView['status']

/** The 好差评 choices, best first, as the rating row shows them (`#rate-5` … `#rate-1`). */
export const RATING_CHOICES = ([5, 4, 3, 2, 1] as const).map((score) => ({ score, label: RATINGS[score] }))

export function statusLabel(status: Status): string {
  return CONSULT_STATUSES[status]
}

export function topicLabel(topic: string): string {
  return POLICY_CATEGORIES[topic as keyof typeof POLICY_CATEGORIES]?.name ?? topic
}

/** Who wrote a message, as the resident sees it: “我”, or “工作人员 王芳”. */
export function speakerOf(message: Message): string {
  if (message.from === 'resident') return '我'
  return message.author ? `工作人员 ${message.author}` : '工作人员'
}

/** `2026-11-23T02:05:00Z` → “2026-11-23 10:05” (China time, whatever the device's zone). */
export function chinaTime(iso: string): string {
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return iso
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
}

/** The first line of the question, short enough for a list row. */
export function excerpt(text: string, max = 40): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max)}…` : line
}

/** The resident's question: the first message of the thread. */
export function questionOf(view: Pick<ConsultationView, 'messages'>): string {
  return view.messages.find((message) => message.from === 'resident')?.text ?? ''
}

/**
 * 好差评 is offered once, after an answer: the API accepts a rating once the case has been
 * answered (答复 or 答复并办结) and refuses a second one.
 */
export function canRate(view: Pick<ConsultationView, 'status' | 'rating'>): boolean {
  return view.rating === null && (view.status === 'answered' || view.status === 'closed')
}

/** A closed case takes no more follow-ups: the resident starts a new question. */
export function canFollowUp(view: Pick<ConsultationView, 'status'>): boolean {
  return view.status !== 'closed'
}

/** What the resident is waiting for, in one line under the status (the due time is the API's). */
export function waitingNote(view: Pick<ConsultationView, 'status' | 'contact' | 'dueAt'>): string | null {
  if (view.status !== 'open' && view.status !== 'reopened') return null
  const by = view.dueAt ? `${chinaTime(view.dueAt)} 前` : '尽快'
  return view.contact === 'phone'
    ? `服务点会在${by}打电话答复您，答复也会记在这里。`
    : `服务点会在${by}答复，答复会显示在这里。`
}
