import { Text, View } from '@tarojs/components'
import { INTAKE_STATUSES } from '../shared/intake-workflow'
import type { IntakeStatusView } from '../shared/schemas/intake'
import { wanText } from './steps'

/** `2026-11-23T02:05:00Z` → “2026-11-23 10:05” (China time, whatever the device's zone). */
export function chinaTime(iso: string): string {
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return iso
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
}

/** One intake as its resident sees it: receipt, point, status, amount and what happened when. */
export function IntakeStatusCard({ intake }: { intake: IntakeStatusView }) {
  return (
    <View className="section intake-status" id={`intake-${intake.receipt}`} data-status={intake.status}>
      <View className="card">
        <View className="card__title">回执码 {intake.receipt}</View>
        <View className="card__meta">{intake.station.name}</View>
        <View>
          状态：<Text className="tag intake-status__label">{INTAKE_STATUSES[intake.status]}</Text>
        </View>
        <View className="card__meta">申请金额：{wanText(intake.amount)}</View>
      </View>
      <View className="intake-timeline" role="list">
        {[...intake.history].reverse().map((entry) => (
          <View key={`${entry.at}-${entry.to}`} className="intake-timeline__item" role="listitem">
            <View className="card__meta">{chinaTime(entry.at)}</View>
            <View>{INTAKE_STATUSES[entry.to]}</View>
            {entry.note && <View className="card__meta">{entry.note}</View>}
          </View>
        ))}
      </View>
    </View>
  )
}
