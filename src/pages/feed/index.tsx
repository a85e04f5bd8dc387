import { View } from '@tarojs/components'
import { Notice, Page } from '../../components/page'

export default function Feed() {
  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        消息
      </View>
      <Notice>暂时没有新消息。人社部门发布与您相关的创业政策时，会在这里提醒您。</Notice>
    </Page>
  )
}
