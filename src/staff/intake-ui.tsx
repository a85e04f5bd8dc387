import { Checkbox, Label, Radio, Text, View } from '@tarojs/components'
import { type PropsWithChildren, useEffect, useState } from 'react'
import { api } from '../services'
import { TARGET_GROUPS } from '../shared/catalog'
import type { IntakeStatus } from '../shared/intake-workflow'
import { type GroupLabels, type Sla, statusLabel } from './intake-view'
import './intake.css'

/**
 * A filter chip: one tap target that says whether it is on (`aria-pressed`, `data-on`), large
 * enough for large-font mode.
 */
export function Chip(props: PropsWithChildren<{ id: string; on: boolean; onTap: () => void }>) {
  return (
    <View
      id={props.id}
      className={props.on ? 'chip chip--on' : 'chip'}
      role="button"
      aria-pressed={props.on}
      data-on={props.on ? 'on' : 'off'}
      onClick={props.onTap}
    >
      {props.children}
    </View>
  )
}

export function StatusTag({ status }: { status: IntakeStatus }) {
  return (
    <Text className={`status status--${status}`} data-status={status}>
      {statusLabel(status)}
    </Text>
  )
}

/** The first-contact clock: red “已超时”, or the hours left. Nothing once contacted. */
export function SlaBadge({ sla, id }: { sla: Sla; id?: string }) {
  if (!sla) return null
  return (
    <Text id={id} className={`sla sla--${sla.tone}`} data-sla={sla.tone}>
      {sla.text}
    </Text>
  )
}

/**
 * One row of a RadioGroup or CheckboxGroup. The id sits on the Label, so the whole row is the
 * tap target (Taro H5 moves a Radio's or Checkbox's own id onto its hidden input).
 */
export function Choice(
  props: PropsWithChildren<{ id: string; type: 'radio' | 'checkbox'; value: string; checked: boolean }>,
) {
  const Mark = props.type === 'radio' ? Radio : Checkbox
  return (
    <Label id={props.id} className="choice">
      <View className="choice__row">
        <Mark value={props.value} checked={props.checked} className="choice__mark" color="#b3261e" />
        {props.children}
      </View>
    </Label>
  )
}

/**
 * The target groups with their labels: the shipped list at once, then the list officials keep
 * (`GET /api/v1/intake-config`, cached five minutes). Without the network the shipped list stays.
 */
export function useGroupLabels(): GroupLabels {
  const [labels, setLabels] = useState<GroupLabels>(TARGET_GROUPS)
  useEffect(() => {
    api
      .get<{ groups: Record<string, string> }>('/api/v1/intake-config')
      .then((config) => setLabels({ ...TARGET_GROUPS, ...config.groups }))
      .catch(() => {})
  }, [])
  return labels
}
