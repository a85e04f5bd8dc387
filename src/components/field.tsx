import { Input, Label, View } from '@tarojs/components'

/** A labelled text input: the label names the field for screen readers and large-font users. */
export function Field(props: {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  placeholder?: string
  password?: boolean
  /** The keyboard mini-programs show: digits, or the 身份证 keyboard with X. */
  type?: 'text' | 'number' | 'digit' | 'idcard'
  maxlength?: number
  /** What is wrong with the value, shown right under the input (`#<id>-error`). */
  errors?: readonly string[]
}) {
  return (
    <>
      <Label for={props.id} className="muted">
        {props.label}
      </Label>
      <Input
        id={props.id}
        className={props.errors?.length ? 'field field--invalid' : 'field'}
        value={props.value}
        password={props.password}
        type={props.type}
        maxlength={props.maxlength}
        placeholder={props.placeholder}
        onInput={(e) => props.onChange(e.detail.value)}
      />
      <FieldErrors id={props.id} errors={props.errors} />
    </>
  )
}

/** The messages for one field, for inputs that are not a text box (choices, switches). */
export function FieldErrors({ id, errors }: { id: string; errors?: readonly string[] | undefined }) {
  if (!errors?.length) return null
  return (
    <View id={`${id}-error`} className="field__error" role="alert">
      {errors.join('；')}
    </View>
  )
}
