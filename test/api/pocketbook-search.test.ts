import { describe, expect, it } from 'vitest'
import { POCKETBOOK_ENTRIES } from '../../api/_lib/pocketbook-data'
import { searchDocument } from '../../api/_lib/repos/policies'
import { restoreIndex, storeIndex } from '../../api/_lib/search-store'
import { buildIndex, expandQuery, search, terms } from '../../src/shared/search'

/**
 * Relevance of the pocket-book search on the shipped content: realistic resident queries (typos,
 * residents' words, filler included), each with the entries one of which must be in the top 3.
 */
const CASES: [string, string[]][] = [
  ['大学生 创业 贷款', ['national-guaranteed-loan', 'cq-graduate-qihang', 'cq-guaranteed-loan']],
  ['大学生创业贷款', ['national-guaranteed-loan', 'cq-graduate-qihang']],
  ['返乡补贴', ['national-rural-returnee', 'hlj-returnee', 'ln-migrant-returnee']],
  ['返乡 创业 补贴', ['national-rural-returnee', 'hlj-returnee', 'ln-migrant-returnee']],
  ['返乡创业补帖', ['national-rural-returnee', 'hlj-returnee']],
  ['社保补贴怎么领', ['national-social-insurance-subsidy', 'hlj-social-insurance', 'cq-hiring-subsidy']],
  ['社保补助', ['national-social-insurance-subsidy', 'hlj-social-insurance']],
  ['贴息', ['national-guaranteed-loan', 'hlj-guaranteed-loan', 'cq-guaranteed-loan']],
  ['创业贷款利息', ['national-guaranteed-loan', 'hlj-guaranteed-loan', 'cq-guaranteed-loan']],
  [
    '个体户 一次性补贴',
    ['cq-one-off-subsidy', 'national-one-off-subsidy', 'hlj-one-off-subsidy', 'ln-one-off-subsidy'],
  ],
  [
    '一次性创业补贴',
    ['national-one-off-subsidy', 'cq-one-off-subsidy', 'hlj-one-off-subsidy', 'ln-one-off-subsidy'],
  ],
  ['退役军人创业', ['national-guaranteed-loan', 'cq-guaranteed-loan', 'national-one-off-subsidy']],
  ['创业担保贷款 重庆', ['cq-guaranteed-loan']],
  ['创业失败 保障', ['hlj-failure-tolerance', 'national-restart', 'cq-restart']],
  ['孵化基地', ['ln-incubator-award', 'hlj-incubators', 'ln-free-venue', 'national-incubator-free-space']],
  [
    '创业培训',
    ['national-malanhua-training', 'cq-malanhua-training', 'hlj-malanhua-training', 'ln-training'],
  ],
  ['场地补贴', ['ln-venue-subsidy']],
  ['无还本续贷', ['national-loan-renewal']],
  ['免除反担保', ['national-loan-easier', 'ln-loan-online', 'hlj-guaranteed-loan']],
  ['创业导师', ['national-mentor-pool', 'hlj-mentor', 'ln-mentor-visits', 'qd-mentor-teams']],
  ['就享家', ['qd-jiuxiangjia']],
  ['助创驿站', ['cq-help-points']],
  ['稳岗扩岗贷款', ['national-stable-jobs-loan', 'hlj-stable-jobs-loan']],
  ['求职创业补贴', ['ln-job-seeking-subsidy']],
  ['网络创业', ['hlj-malanhua-training', 'national-contest', 'cq-contest']],
  ['青创通 政策计算器', ['qd-qingchuangtong']],
  ['创业陪跑', ['qd-peipao', 'cq-mentor-1-3-n', 'qd-mentor-teams']],
  ['创业园区', ['qd-park-direct', 'ln-free-venue', 'cq-incubation-parks']],
  ['脱贫人口 创业', ['national-guaranteed-loan', 'cq-guaranteed-loan']],
  ['农民工返乡创业', ['ln-migrant-returnee', 'national-rural-returnee', 'hlj-returnee']],
  ['线上申请 贷款', ['national-loan-easier', 'ln-loan-online']],
  ['创业大赛', ['national-contest', 'cq-contest']],
  ['政策口袋书', ['cq-policy-pocketbook']],
  ['失败了还能再创业吗', ['national-restart', 'cq-restart', 'hlj-failure-tolerance', 'qd-second-incubation']],
]

describe('pocket-book search relevance', () => {
  const index = buildIndex(POCKETBOOK_ENTRIES.map((entry) => searchDocument(entry)))

  it.each(CASES)('“%s” finds one of the expected entries in the top 3', (query, expected) => {
    const top = search(index, query, 3).map((hit) => hit.id)
    expect(
      top.some((id) => expected.includes(id)),
      `${query} → ${top.join(', ')}`,
    ).toBe(true)
  })

  it('has at least 30 realistic queries, each naming entries that exist', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30)
    const ids = new Set(POCKETBOOK_ENTRIES.map((entry) => entry.id))
    for (const [, expected] of CASES) for (const id of expected) expect(ids.has(id), id).toBe(true)
  })

  it('answers the same from a stored and restored index', () => {
    const restored = restoreIndex(JSON.parse(JSON.stringify(storeIndex(index))))
    for (const [query] of CASES.slice(0, 10)) {
      expect(search(restored, query, 3).map((hit) => hit.id)).toEqual(
        search(index, query, 3).map((hit) => hit.id),
      )
    }
  })

  it('maps residents’ words to the documents’ and drops filler', () => {
    expect(expandQuery('大学生怎么申请')).toContain('高校毕业生')
    expect(expandQuery('社保补贴怎么领')).not.toContain('怎么')
    expect(terms('创业 ABC')).toEqual(['创', '创业', '业', 'abc'])
    expect(search(index, '怎么 的 了', 3)).toEqual([])
    expect(search(index, 'zzzz', 3)).toEqual([])
  })
})
