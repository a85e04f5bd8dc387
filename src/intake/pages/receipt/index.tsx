import { Button, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'
import { Notice, Page, Section } from '../../../components/page'
import { INTAKE_STATUSES } from '../../../shared/intake-workflow'
import { lastReceipt } from '../../platform'
import { PrecheckView } from '../../precheck-view'
import { chinaTime } from '../../status-view'
import { LOOKUP_URL, MINE_URL } from '../../urls'
import '../../intake.css'

/** What the resident keeps after filing: the receipt code, where it went and what happens next. */
export default function ReceiptPage() {
  const [receipt] = useState(lastReceipt)

  const links = (
    <View className="intake-nav">
      <Button id="go-mine" className="button" onClick={() => Taro.navigateTo({ url: MINE_URL })}>
        我的申请
      </Button>
      <Button
        id="go-lookup"
        className="button button--plain"
        onClick={() => Taro.navigateTo({ url: LOOKUP_URL })}
      >
        查询进度
      </Button>
    </View>
  )

  if (!receipt) {
    return (
      <Page>
        <View className="title" role="heading" aria-level={1}>
          受理回执
        </View>
        <Notice>这台设备上没有找到刚提交的回执。您提交过的申请都在“我的申请”里。</Notice>
        {links}
      </Page>
    )
  }

  return (
    <Page>
      <View className="title" role="heading" aria-level={1}>
        {receipt.duplicate ? '您已经提交过' : '已提交'}
      </View>
      {receipt.duplicate && (
        <Notice>
          <View id="receipt-duplicate">您 30 天内已在本服务点提交过申请，这是那份申请。</View>
        </Notice>
      )}
      <Section title="回执码">
        <View
          id="receipt-code"
          className="receipt-code"
          aria-label={`回执码 ${receipt.receipt.split('').join(' ')}`}
        >
          {receipt.receipt}
        </View>
        <View className="muted">请记下回执码。查询办理进度时，要用回执码和您手机号的后四位。</View>
      </Section>
      <Section title="办理情况">
        <View className="card">
          <View className="card__meta">服务点</View>
          <View className="card__title" id="receipt-station">
            {receipt.station.name}
          </View>
        </View>
        <View className="card">
          <View className="card__meta">状态</View>
          <View className="card__title" id="receipt-status">
            {INTAKE_STATUSES[receipt.status]}
          </View>
          <View className="card__meta">提交时间：{chinaTime(receipt.createdAt)}</View>
        </View>
        <View className="muted">服务点工作人员会用您留的手机号联系您，请留意来电。</View>
      </Section>
      <Section title="条件预审">
        <PrecheckView precheck={receipt.precheck} />
      </Section>
      {links}
      <Button className="button button--plain" onClick={() => Taro.switchTab({ url: '/pages/index/index' })}>
        回到首页
      </Button>
    </Page>
  )
}
