/**
 * Pocket-book entries for unit tests (not shipped: nothing in the app imports this file). The
 * texts follow the shape of the real content; figures and sources are examples.
 */
import type { PolicyEntry } from '../shared/schemas/policy'

/** A published national entry; `over` changes any part of it. */
export function sampleEntry(id: string, over: Partial<PolicyEntry> = {}): PolicyEntry {
  return {
    id,
    title: `政策 ${id}`,
    summary: '一句话摘要写在这里',
    category: 'subsidy',
    regions: ['000000'],
    groups: [],
    benefits: [],
    conditions: { rules: null, text: [] },
    materials: [],
    steps: [],
    applyAt: [],
    source: {
      title: '关于健全创业支持体系提升创业质量的意见',
      documentNumber: '人社部发〔2025〕5号',
      issuer: '人力资源社会保障部等7部门',
      date: '2025-02-26',
      clause: '第三条',
      seedFile: null,
    },
    effectiveFrom: null,
    effectiveUntil: null,
    keywords: [],
    version: 1,
    status: 'published',
    updatedAt: '2026-01-01T00:00:00.000Z',
    editor: null,
    ...over,
  }
}

/** A few entries worded like the real ones, for search. */
export const SAMPLE_BOOK: PolicyEntry[] = [
  sampleEntry('cq-returnee-subsidy', {
    title: '返乡入乡创业一次性补贴',
    summary: '返乡入乡人员首次创业并稳定经营的，可申请一次性创业补贴。',
    regions: ['500000'],
    groups: ['migrant_returnee'],
    benefits: [{ label: '一次性创业补贴', kind: 'fixed', amount: 5000, unit: '元' }],
    keywords: ['回乡', '农民工'],
  }),
  sampleEntry('national-guarantee-loan', {
    title: '创业担保贷款',
    summary: '符合条件的个人最高可贷 30 万元，财政按规定贴息。',
    category: 'loan',
    groups: ['graduate', 'migrant_returnee', 'veteran'],
    benefits: [{ label: '个人贷款额度', kind: 'up_to', amount: 300_000, unit: '元' }],
    keywords: ['借钱', '贴息'],
  }),
  sampleEntry('qd-venue-subsidy', {
    title: '创业场地租金补贴',
    summary: '在孵化基地或创业园区租用场地的初创企业，可申请场租补贴。',
    category: 'incubation',
    regions: ['370200'],
    benefits: [{ label: '场地租金补贴', kind: 'percentage', amount: 50, unit: '%' }],
    keywords: ['房租', '场租'],
  }),
  sampleEntry('national-social-insurance', {
    title: '社会保险补贴',
    summary: '吸纳重点群体就业的小微企业，可按规定享受社会保险补贴。',
    category: 'social_insurance',
    keywords: ['社保'],
  }),
]
