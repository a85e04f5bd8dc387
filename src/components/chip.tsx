import { View } from '@tarojs/components'

/**
 * One choice among several (a filter, an answer): a tap target as tall as a button, in
 * large-font mode too, that says whether it is on (styles `.chip` in app.css). `multi` chips are
 * checkboxes to a screen reader, the others radio buttons.
 */
export function Chip(props: { id: string; on: boolean; label: string; multi?: boolean; onTap: () => void }) {
  return (
    <View
      id={props.id}
      className={props.on ? 'chip chip--on' : 'chip'}
      role={props.multi ? 'checkbox' : 'radio'}
      aria-checked={props.on}
      onClick={props.onTap}
    >
      {props.label}
    </View>
  )
}
