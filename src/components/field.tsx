import { Input, Label } from '@tarojs/components'

/** A labelled text input: the label names the field for screen readers and large-font users. */
export function Field(props: {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  placeholder?: string
  password?: boolean
}) {
  return (
    <>
      <Label for={props.id} className="muted">
        {props.label}
      </Label>
      <Input
        id={props.id}
        className="field"
        value={props.value}
        password={props.password}
        placeholder={props.placeholder}
        onInput={(e) => props.onChange(e.detail.value)}
      />
    </>
  )
}
