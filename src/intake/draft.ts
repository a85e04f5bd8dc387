/**
 * The loan-intake draft: everything the resident has typed, the step they are on and the
 * `Idempotency-Key` of its submit, kept on the device after every change so a lost connection,
 * a closed mini-program or a reload never costs them their answers. Plain code (no Taro): the
 * page passes the platform's storage in.
 */

/** The six steps, in order; `STEP_TITLES[i]` is what step i asks. */
export const STEP_TITLES = [
  '您属于哪类人群',
  '经营情况',
  '贷款需求',
  '联系方式',
  '个人信息单独同意',
  '核对并提交',
] as const
export const STEP_COUNT = STEP_TITLES.length
export type Step = 0 | 1 | 2 | 3 | 4 | 5
export const LAST_STEP: Step = 5

/** What the form holds. Text stays text (as typed) until a step is checked. */
export interface IntakeDraft {
  v: 1
  station: string
  /** Sent as `Idempotency-Key`: a double tap or a retry after a lost answer files one intake. */
  key: string
  /** A submit went out with `key`; the next edit makes a new key (the body it stands for changed). */
  keySent: boolean
  step: Step
  groups: string[]
  business: {
    status: string
    name: string
    uscc: string
    industry: string
    startDate: string
    employees: string
    newHires: string
  }
  loan: {
    /** In 万元, as asked; the request carries whole 元. */
    amountWan: string
    purpose: string
    termMonths: string
    otherLoans: boolean | null
  }
  contact: { name: string; idNumber: string; mobile: string }
  consent: { sensitive: boolean; version: string }
  updatedAt: string
}

export function emptyDraft(station: string, key: string, now: Date = new Date()): IntakeDraft {
  return {
    v: 1,
    station,
    key,
    keySent: false,
    step: 0,
    groups: [],
    business: { status: '', name: '', uscc: '', industry: '', startDate: '', employees: '', newHires: '' },
    loan: { amountWan: '', purpose: '', termMonths: '', otherLoans: null },
    contact: { name: '', idNumber: '', mobile: '' },
    consent: { sensitive: false, version: '' },
    updatedAt: now.toISOString(),
  }
}

/** The platform's synchronous key-value storage (`Taro.getStorageSync` and friends). */
export interface DraftStorage {
  get(key: string): unknown
  set(key: string, value: unknown): void
  remove(key: string): void
}

/** One draft per station: a resident who files at two points keeps both. */
export function draftKey(station: string): string {
  return `doorstep.intake.draft.${station.toUpperCase()}`
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const text = (value: unknown): string => (typeof value === 'string' ? value : '')

function texts<K extends string>(source: unknown, keys: readonly K[]): Record<K, string> {
  const record = isRecord(source) ? source : {}
  return Object.fromEntries(keys.map((key) => [key, text(record[key])])) as Record<K, string>
}

/**
 * A stored draft, field by field, or null when there is none or it is not ours (another
 * station, an older app's shape). Unknown or mistyped fields come back empty, never as garbage.
 */
export function reviveDraft(raw: unknown, station: string): IntakeDraft | null {
  if (!isRecord(raw) || raw.v !== 1 || text(raw.station).toUpperCase() !== station.toUpperCase()) return null
  const key = text(raw.key)
  if (!key) return null
  const step = typeof raw.step === 'number' && raw.step >= 0 && raw.step <= LAST_STEP ? raw.step : 0
  const loan = isRecord(raw.loan) ? raw.loan : {}
  const consent = isRecord(raw.consent) ? raw.consent : {}
  return {
    v: 1,
    station: text(raw.station),
    key,
    keySent: raw.keySent === true,
    step: Math.floor(step) as Step,
    groups: Array.isArray(raw.groups) ? raw.groups.filter((group) => typeof group === 'string') : [],
    business: texts(raw.business, [
      'status',
      'name',
      'uscc',
      'industry',
      'startDate',
      'employees',
      'newHires',
    ] as const),
    loan: {
      ...texts(loan, ['amountWan', 'purpose', 'termMonths'] as const),
      otherLoans: typeof loan.otherLoans === 'boolean' ? loan.otherLoans : null,
    },
    contact: texts(raw.contact, ['name', 'idNumber', 'mobile'] as const),
    consent: { sensitive: consent.sensitive === true, version: text(consent.version) },
    updatedAt: text(raw.updatedAt),
  }
}

/** The station's saved draft, or null. Storage that cannot be read counts as empty. */
export function loadDraft(storage: DraftStorage, station: string): IntakeDraft | null {
  try {
    return reviveDraft(storage.get(draftKey(station)), station)
  } catch {
    return null
  }
}

/** Saves the draft; answers false when the device refused (full, private mode). */
export function saveDraft(storage: DraftStorage, draft: IntakeDraft): boolean {
  try {
    storage.set(draftKey(draft.station), draft)
    return true
  } catch {
    return false
  }
}

/** Only after a receipt: the answers now live in the intake. */
export function clearDraft(storage: DraftStorage, station: string): void {
  try {
    storage.remove(draftKey(station))
  } catch {
    // Nothing to lose: the next form simply starts from this draft's answers.
  }
}

/**
 * Applies an edit of the answers. An edit after a submit went out gets a new key: the server
 * keeps the first answer for a key, and the changed answers must be filed, not replayed.
 */
export function editDraft(
  draft: IntakeDraft,
  change: (draft: IntakeDraft) => IntakeDraft,
  newKey: () => string,
  now: Date = new Date(),
): IntakeDraft {
  const next = { ...change(draft), updatedAt: now.toISOString() }
  return draft.keySent ? { ...next, key: newKey(), keySent: false } : next
}

/** Moves to a step; moving is not an edit, so the key stays. */
export function goToStep(draft: IntakeDraft, step: number): IntakeDraft {
  const bounded = Math.min(Math.max(Math.floor(step), 0), LAST_STEP) as Step
  return bounded === draft.step ? draft : { ...draft, step: bounded }
}

/** Marks the key as used by a submit (before it goes out, so a crash mid-way still counts). */
export function markSent(draft: IntakeDraft): IntakeDraft {
  return draft.keySent ? draft : { ...draft, keySent: true }
}

/** "第 2 步，共 6 步" */
export function progressLabel(step: Step): string {
  return `第 ${step + 1} 步，共 ${STEP_COUNT} 步`
}
