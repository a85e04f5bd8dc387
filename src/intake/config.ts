/**
 * What the intake form needs from `GET /api/v1/intake-config`: the target groups officials
 * maintain, the loan parameters in force, the consent version, how long personal data is kept
 * and the WeChat subscribe-message template. Offline, the shipped lists stand in, so the form
 * still works; the retention period alone must come from the server (or its last answer),
 * because the resident consents to it.
 */
import { TARGET_GROUPS } from '../shared/catalog'
import type { ParameterValue } from '../shared/rules/engine'
import { LOAN_PARAMETERS } from '../shared/rules/loan'
import { CONSENT_VERSION } from '../shared/schemas/intake'

export interface IntakeConfig {
  groups: Readonly<Record<string, string>>
  parameters: readonly ParameterValue[]
  consentVersion: string
  /** Days personal data is kept after the intake closes; null until the server has said. */
  retentionDays: number | null
  wechatTemplateId: string | null
}

export const OFFLINE_CONFIG: IntakeConfig = {
  groups: TARGET_GROUPS,
  parameters: LOAN_PARAMETERS,
  consentVersion: CONSENT_VERSION,
  retentionDays: null,
  wechatTemplateId: null,
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The server's answer (or a cached one), each part checked; what is missing falls back. */
export function reviveConfig(raw: unknown): IntakeConfig {
  if (!isRecord(raw)) return OFFLINE_CONFIG
  const groups = isRecord(raw.groups)
    ? Object.fromEntries(
        Object.entries(raw.groups).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      )
    : {}
  const parameters = Array.isArray(raw.parameters)
    ? raw.parameters.filter(
        (entry): entry is ParameterValue =>
          isRecord(entry) &&
          typeof entry.key === 'string' &&
          typeof entry.region === 'string' &&
          typeof entry.from === 'string' &&
          (typeof entry.value === 'number' || typeof entry.value === 'string'),
      )
    : []
  const days = raw.retentionDays
  return {
    groups: Object.keys(groups).length ? groups : OFFLINE_CONFIG.groups,
    parameters: parameters.length ? parameters : OFFLINE_CONFIG.parameters,
    consentVersion: typeof raw.consentVersion === 'string' ? raw.consentVersion : CONSENT_VERSION,
    retentionDays: typeof days === 'number' && Number.isInteger(days) && days > 0 ? days : null,
    wechatTemplateId:
      typeof raw.wechatTemplateId === 'string' && raw.wechatTemplateId ? raw.wechatTemplateId : null,
  }
}
