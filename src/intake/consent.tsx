import { Checkbox, CheckboxGroup, Label, View } from '@tarojs/components'
import { FieldErrors } from '../components/field'
import { STATION_KINDS } from '../shared/catalog'
import type { StationSummary } from '../shared/schemas/station'

/**
 * The separate consent for sensitive personal information (个人信息保护法 第二十九条、第三十条:
 * 处理敏感个人信息应当取得个人的单独同意, and tell the purpose, the recipient and the retention
 * period). The same text on the form and on the 帮办 confirmation.
 */
export function ConsentNotice({
  station,
  retentionDays,
  checked,
  onChange,
  errors,
}: {
  /** The receiving point; null when the resident confirms a 帮办 filing (staff named it). */
  station: StationSummary | null
  retentionDays: number | null
  checked: boolean
  onChange: (checked: boolean) => void
  errors?: string[] | undefined
}) {
  return (
    <View id="consent-text">
      <View className="card">
        <View className="card__title">为什么要您单独同意</View>
        <View>
          身份证号属于敏感个人信息。只有您勾选同意，我们才会为“创业担保贷款预受理”处理您的姓名、身份证号和手机号。
        </View>
      </View>
      <View className="card">
        <View className="card__title">用来做什么</View>
        <View>创业担保贷款预受理：服务点核对申请条件、联系您办理，并转给经办银行审核。</View>
      </View>
      <View className="card" id="consent-recipient">
        <View className="card__title">交给谁</View>
        {station ? (
          <>
            <View>
              {station.name}（{STATION_KINDS[station.kind]}）
            </View>
            {station.kind === 'bank_point' && (station.bank || station.branch) && (
              <View>
                所在银行：{station.bank ?? ''}
                {station.branch ? `，网点：${station.branch}` : ''}
              </View>
            )}
          </>
        ) : (
          <View>为您帮办的服务点（工作人员所在的就享家服务站或助创驿站）及其经办银行。</View>
        )}
      </View>
      <View className="card" id="consent-retention">
        <View className="card__title">保存多久</View>
        <View>
          {retentionDays ? `办结后 ${retentionDays} 天删除。` : '正在获取保存期限…'}
          加密保存；工作人员只看到部分遮挡的号码，查看完整号码都会留下记录。
        </View>
      </View>
      <View className="muted">您可以不同意。不同意就不能在线提交，可以到服务点当面办理。</View>
      <CheckboxGroup onChange={(e) => onChange(e.detail.value.includes('sensitive'))}>
        <Label id="consent-check" className="card intake-choice">
          <View className="intake-choice__row">
            <Checkbox value="sensitive" checked={checked} color="#b3261e" className="intake-choice__mark" />
            我已阅读以上内容，同意为创业担保贷款预受理处理我的身份证号和手机号
          </View>
        </Label>
      </CheckboxGroup>
      <FieldErrors id="field-consent" errors={errors} />
    </View>
  )
}
