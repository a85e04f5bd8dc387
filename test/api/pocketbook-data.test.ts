import { describe, expect, it } from 'vitest'
import { POCKETBOOK_ENTRIES } from '../../api/_lib/pocketbook-data'
import { BUSINESS_STATUSES, POLICY_CATEGORIES, TARGET_GROUPS } from '../../src/shared/catalog'
import { PolicyContentSchema } from '../../src/shared/schemas/policy'

/** The five source documents in shared/seeds. */
const SEED_FILES = [
  '000_a8c03de62369067a.txt',
  '001_0a10be03c4f1a20d.txt',
  '002_c747a0667eca96eb.txt',
  '003_a2b53c88752cb8a3.txt',
  '004_bbcdf75ca5c1c5d1.txt',
]

/**
 * The facts the matcher asks, and the type of each. `region` is a fact too, but entries say where
 * they apply through `regions`, never through a rule, so it is not allowed here.
 */
const FACTS: Record<string, 'array' | 'string' | 'number' | 'boolean'> = {
  groups: 'array',
  businessStatus: 'string',
  yearsSinceGraduation: 'number',
  businessAgeMonths: 'number',
  employees: 'number',
  newHires: 'number',
  failedBefore: 'boolean',
  wantsLoan: 'boolean',
  hasVenueNeed: 'boolean',
  inTraining: 'boolean',
}

interface RuleLeaf {
  id: string
  fact: string
  op: string
  value?: unknown
}

/** Every leaf of a condition tree, `when` guards included. */
function leaves(node: unknown): RuleLeaf[] {
  if (node === null || typeof node !== 'object') return []
  if ('fact' in node) return [node as RuleLeaf]
  if ('all' in node && Array.isArray(node.all)) return node.all.flatMap(leaves)
  if ('any' in node && Array.isArray(node.any)) return node.any.flatMap(leaves)
  if ('when' in node && 'check' in node) return [...leaves(node.when), ...leaves(node.check)]
  return []
}

describe('pocket-book seed content', () => {
  it('has at least 30 entries', () => {
    expect(POCKETBOOK_ENTRIES.length).toBeGreaterThanOrEqual(30)
  })

  it('parses every entry with PolicyContentSchema', () => {
    const failures = POCKETBOOK_ENTRIES.flatMap(({ id, ...content }) => {
      const parsed = PolicyContentSchema.safeParse(content)
      return parsed.success
        ? []
        : [{ id, issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) }]
    })
    expect(failures).toEqual([])
  })

  it('has unique, slug-shaped ids', () => {
    const ids = POCKETBOOK_ENTRIES.map((entry) => entry.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[a-z0-9][a-z0-9-]{2,63}$/)
  })

  it('uses every category at least twice', () => {
    const counts = new Map<string, number>()
    for (const entry of POCKETBOOK_ENTRIES) counts.set(entry.category, (counts.get(entry.category) ?? 0) + 1)
    const rare = Object.keys(POLICY_CATEGORIES).filter((category) => (counts.get(category) ?? 0) < 2)
    expect(rare).toEqual([])
  })

  it('cites a seed file or a numbered document, always with a clause', () => {
    const bad = POCKETBOOK_ENTRIES.filter(
      ({ source }) =>
        source.clause.trim() === '' || (source.seedFile !== null && !SEED_FILES.includes(source.seedFile)),
    ).map((entry) => entry.id)
    expect(bad).toEqual([])
    const unsourced = POCKETBOOK_ENTRIES.filter(
      (entry) => entry.source.seedFile === null && entry.source.documentNumber === null && !entry.localNote,
    ).map((entry) => entry.id)
    expect(unsourced).toEqual([])
  })

  it('names only known target groups', () => {
    const known = Object.keys(TARGET_GROUPS)
    const bad = POCKETBOOK_ENTRIES.flatMap((entry) =>
      entry.groups.filter((group) => !known.includes(group)).map((group) => `${entry.id}: ${group}`),
    )
    expect(bad).toEqual([])
  })

  it('writes rules only with the matcher’s facts, known groups and statuses', () => {
    const groups = Object.keys(TARGET_GROUPS)
    const statuses = Object.keys(BUSINESS_STATUSES)
    const problems: string[] = []
    for (const entry of POCKETBOOK_ENTRIES) {
      for (const leaf of leaves(entry.conditions.rules)) {
        const where = `${entry.id} / ${leaf.id}`
        const kind = FACTS[leaf.fact]
        if (kind === undefined) {
          problems.push(`${where}: unknown fact ${leaf.fact}`)
          continue
        }
        const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value]
        if (leaf.fact === 'groups') {
          if (leaf.op !== 'includesAny') problems.push(`${where}: groups needs includesAny`)
          for (const value of values)
            if (!groups.includes(value)) problems.push(`${where}: unknown group ${value}`)
        } else if (leaf.fact === 'businessStatus') {
          if (leaf.op !== 'in' && leaf.op !== 'eq') problems.push(`${where}: businessStatus needs in or eq`)
          for (const value of values) {
            if (!statuses.includes(value)) problems.push(`${where}: unknown status ${value}`)
          }
        } else if (typeof leaf.value !== kind) {
          problems.push(`${where}: ${leaf.fact} expects a ${kind}, got ${JSON.stringify(leaf.value)}`)
        }
      }
    }
    expect(problems).toEqual([])
  })

  it('gives every rule leaf an id no other leaf has', () => {
    const ids = POCKETBOOK_ENTRIES.flatMap((entry) => leaves(entry.conditions.rules).map((leaf) => leaf.id))
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i)
    expect(repeated).toEqual([])
  })
})
