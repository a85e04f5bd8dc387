import { Text, View } from '@tarojs/components'
import type { Verdict } from '../shared/rules/engine'

const VERDICT_TEXT: Record<Verdict, string> = { met: '符合', not_met: '不符合', unknown: '待确认' }

const SUMMARY: Record<Verdict, string> = {
  met: '按您填写的情况，各项条件看起来都符合。',
  not_met: '有的条件可能不符合，仍然可以提交，由服务点和银行核定。',
  unknown: '有的条件还要工作人员和您确认。',
}

export interface PrecheckLike {
  verdict: Verdict
  conditions: readonly { id: string; label: string; verdict: Verdict; reason: string }[]
}

/** The pre-check, condition by condition. It advises; it never blocks filing. */
export function PrecheckView({ precheck }: { precheck: PrecheckLike }) {
  return (
    <View id="precheck" data-verdict={precheck.verdict}>
      <View className="muted">{SUMMARY[precheck.verdict]}</View>
      {precheck.conditions.map((condition) => (
        <View
          key={condition.id}
          className="card"
          data-condition={condition.id}
          data-verdict={condition.verdict}
        >
          <View className="card__title">
            <Text className={`tag intake-verdict intake-verdict--${condition.verdict}`}>
              {VERDICT_TEXT[condition.verdict]}
            </Text>
            {condition.label}
          </View>
          <View className="card__meta">{condition.reason}</View>
        </View>
      ))}
      <View id="precheck-note" className="notice">
        预审结果仅供参考，不影响提交，最终以经办银行审批为准。
      </View>
    </View>
  )
}
