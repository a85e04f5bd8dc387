import { describe, expect, it } from 'vitest'
import { TARGET_GROUPS } from '../shared/catalog'
import { LOAN_PARAMETERS } from '../shared/rules/loan'
import { OFFLINE_CONFIG, reviveConfig } from './config'

describe('the intake config', () => {
  it('takes the groups officials added, the parameters, the retention period and the template', () => {
    const config = reviveConfig({
      groups: { ...TARGET_GROUPS, rural_returnee_youth: '返乡青年' },
      parameters: [LOAN_PARAMETERS[0]],
      consentVersion: '2026-11',
      retentionDays: 180,
      station: { code: 'CQ0001' },
      wechatTemplateId: 'tmpl-1',
    })
    expect(config.groups.rural_returnee_youth).toBe('返乡青年')
    expect(config.parameters).toEqual([LOAN_PARAMETERS[0]])
    expect(config).toMatchObject({ retentionDays: 180, wechatTemplateId: 'tmpl-1' })
  })

  it('falls back to the shipped lists offline, and never invents a retention period', () => {
    expect(reviveConfig(undefined)).toBe(OFFLINE_CONFIG)
    const partial = reviveConfig({ groups: {}, parameters: 'x', retentionDays: -1, wechatTemplateId: '' })
    expect(partial.groups).toBe(TARGET_GROUPS)
    expect(partial.parameters).toBe(LOAN_PARAMETERS)
    expect(partial.retentionDays).toBeNull()
    expect(partial.wechatTemplateId).toBeNull()
  })
})
