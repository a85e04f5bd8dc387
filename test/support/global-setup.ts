import { rmSync } from 'node:fs'
import { SWEEP_DIR } from './sweep'

/** Each run starts with an empty sweep directory, so the sweep reads this run only. */
export default function setup(): void {
  rmSync(SWEEP_DIR, { recursive: true, force: true })
}
