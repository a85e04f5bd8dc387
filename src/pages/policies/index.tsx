import { View } from '@tarojs/components'
import { Page, Section } from '../../components/page'
import { POLICY_CATEGORIES, type PolicyCategory } from '../../shared/catalog'
import { SOURCE_DOCUMENTS } from '../../shared/sources'

export default function Policies() {
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        创业政策口袋书
      </View>
      <View className="muted">按类别查看创业扶持政策，每一条都注明出处。</View>
      <Section title="政策类别">
        {(Object.keys(POLICY_CATEGORIES) as PolicyCategory[]).map((key) => (
          <View key={key} className="card">
            <View className="card__title">{POLICY_CATEGORIES[key].name}</View>
            <View className="card__meta">{POLICY_CATEGORIES[key].hint}</View>
          </View>
        ))}
      </Section>
      <Section title="政策依据">
        {SOURCE_DOCUMENTS.map((doc) => (
          <View key={doc.id} className="card">
            <View className="card__title">{doc.title}</View>
            <View className="card__meta">
              {doc.issuer}
              {doc.number ? ` · ${doc.number}` : ''} · {doc.date}
            </View>
          </View>
        ))}
      </Section>
    </Page>
  )
}
