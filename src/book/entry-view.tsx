import { Text, View } from '@tarojs/components'
import type { PropsWithChildren } from 'react'
import { Section } from '../components/page'
import { POLICY_CATEGORIES, TARGET_GROUPS } from '../shared/catalog'
import type { PolicyContent } from '../shared/schemas/policy'
import { benefitAmount, dateText } from './format'
import { regionsText } from './places'

function SourceRow({ id, label, children }: PropsWithChildren<{ id: string; label: string }>) {
  return (
    <View className="book-source__row">
      <View className="book-source__label">{label}</View>
      <View className="book-source__value" id={id}>
        {children}
      </View>
    </View>
  )
}

const groupNames = (groups: readonly string[]) =>
  groups.length
    ? groups.map((group) => TARGET_GROUPS[group as keyof typeof TARGET_GROUPS] ?? group).join('、')
    : '不限人群'

/**
 * One pocket-book entry as a resident reads it: what it gives, who qualifies, what to bring, the
 * steps, where to apply and — always visible — where it comes from. The entry page shows the
 * published entry; officials see their draft the same way (预览).
 */
export function EntryView({
  content,
  stationNames,
}: {
  content: PolicyContent
  stationNames: Readonly<Record<string, string>>
}) {
  const { source } = content
  return (
    <View id="policy-entry">
      <View className="title" role="heading" aria-level={1} id="policy-title">
        {content.title}
      </View>
      <View className="book-lead" id="policy-summary">
        {content.summary}
      </View>
      <View className="book-meta">
        <Text className="tag">{POLICY_CATEGORIES[content.category]?.name ?? content.category}</Text>
        <Text className="muted">
          {regionsText(content.regions)} · {groupNames(content.groups)}
        </Text>
      </View>

      {content.benefits.length > 0 && (
        <Section title="可以享受">
          <View id="policy-benefits">
            {content.benefits.map((benefit, index) => (
              <View key={`${benefit.label}-${index}`} className="card" data-benefit={benefit.kind}>
                <View className="muted">{benefit.label}</View>
                <View className="book-amount">{benefitAmount(benefit)}</View>
                {benefit.note && benefit.kind !== 'text' && (
                  <View className="card__meta">{benefit.note}</View>
                )}
              </View>
            ))}
          </View>
        </Section>
      )}

      {content.conditions.text.length > 0 && (
        <Section title="申请条件">
          <View id="policy-conditions">
            {content.conditions.text.map((line) => (
              <View key={line} className="book-bullet">
                {line}
              </View>
            ))}
          </View>
        </Section>
      )}

      {content.materials.length > 0 && (
        <Section title="需要准备的材料">
          <View id="policy-materials">
            {content.materials.map((line) => (
              <View key={line} className="book-bullet">
                {line}
              </View>
            ))}
          </View>
        </Section>
      )}

      {content.steps.length > 0 && (
        <Section title="办理步骤">
          <View id="policy-steps">
            {content.steps.map((line, index) => (
              <View key={line} className="book-step">
                <Text className="book-step__number">{index + 1}</Text>
                <Text>{line}</Text>
              </View>
            ))}
          </View>
        </Section>
      )}

      <Section title="去哪里办">
        <View id="policy-apply-at">
          {content.applyAt.map((code) => (
            <View key={code} className="book-bullet" data-station={code}>
              {stationNames[code] ?? `服务点 ${code}`}
            </View>
          ))}
          {content.applyNote && <View className="muted">{content.applyNote}</View>}
          {content.applyAt.length === 0 && !content.applyNote && (
            <View>可到就近的就享家服务站、助创驿站咨询，或到所在区县的人社部门办理。</View>
          )}
        </View>
      </Section>

      <View id="policy-source" className="section book-source" role="region" aria-label="政策出处">
        <View className="section__title" role="heading" aria-level={2}>
          政策出处
        </View>
        <SourceRow id="policy-source-title" label="文件名称">
          《{source.title}》
        </SourceRow>
        <SourceRow id="policy-source-number" label="文号">
          {source.documentNumber ?? '（无文号）'}
        </SourceRow>
        <SourceRow id="policy-source-issuer" label="发文单位">
          {source.issuer}
        </SourceRow>
        <SourceRow id="policy-source-date" label="日期">
          {dateText(source.date)}
        </SourceRow>
        <SourceRow id="policy-source-clause" label="条款">
          {source.clause}
        </SourceRow>
        {(content.effectiveFrom || content.effectiveUntil) && (
          <SourceRow id="policy-source-effective" label="有效期">
            {content.effectiveFrom ? dateText(content.effectiveFrom) : ''}
            {' 至 '}
            {content.effectiveUntil ? dateText(content.effectiveUntil) : '今'}
          </SourceRow>
        )}
        {content.localNote && (
          <View id="policy-local-note" className="book-local-note">
            {content.localNote}
          </View>
        )}
        <View className="muted">具体以发文单位和当地人社部门的解释为准。</View>
      </View>
    </View>
  )
}
