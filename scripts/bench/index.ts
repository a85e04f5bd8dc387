/**
 * `npm run bench` — every benchmark, one table: figure, target, met or not.
 * Figures are measured here and printed; tests never assert timings.
 */

import { FANOUT_COMMANDS_TARGET, FANOUT_SECONDS_TARGET, measureFanout } from './fanout'
import {
  measureIntake,
  QUEUE_ROUND_TRIPS_TARGET,
  SUBMIT_COMMANDS_TARGET,
  SUBMIT_ROUND_TRIPS_TARGET,
} from './intake'
import { LANDING_BYTES_TARGET, LANDING_LCP_TARGET_MS, measureLanding } from './landing'
import { INDEX_LOAD_TARGET_MS, measureSearch, SEARCH_P99_TARGET_MS } from './search'
import { h5FirstLoad, MAIN_PACKAGE_BUDGET, miniPackageSizes } from './size'

interface Row {
  figure: string
  value: string
  target: string
  met: boolean | null
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

async function main() {
  process.env.LOG_LEVEL ??= 'silent'
  const rows: Row[] = []
  for (const target of ['weapp', 'alipay'] as const) {
    for (const size of miniPackageSizes(target)) {
      const main = size.root === '(main)'
      const limit = main ? MAIN_PACKAGE_BUDGET : 2 * 1024 * 1024
      rows.push({
        figure: `${target} package ${size.root}`,
        value: kb(size.bytes),
        target: `≤ ${kb(limit)}`,
        met: size.bytes <= limit,
      })
    }
  }
  const h5 = await h5FirstLoad()
  rows.push({ figure: 'H5 first-load JS (gzip)', value: kb(h5.gzip), target: 'measured', met: null })
  rows.push({ figure: 'H5 first-load JS (brotli)', value: kb(h5.brotli), target: 'measured', met: null })
  const landing = await measureLanding()
  rows.push({
    figure: 'QR landing LCP, slow 4G',
    value: `${Math.round(landing.landing.lcpMs)} ms`,
    target: `≤ ${LANDING_LCP_TARGET_MS} ms`,
    met: landing.landing.lcpMs <= LANDING_LCP_TARGET_MS,
  })
  rows.push({
    figure: 'QR landing transferred',
    value: kb(landing.landing.bytes),
    target: `≤ ${kb(LANDING_BYTES_TARGET)}`,
    met: landing.landing.bytes <= LANDING_BYTES_TARGET,
  })
  rows.push({
    figure: 'H5 app home LCP, slow 4G',
    value: `${Math.round(landing.app.lcpMs)} ms`,
    target: 'measured',
    met: null,
  })

  const intake = await measureIntake()
  rows.push({
    figure: 'intake submit p50 / p99',
    value: `${intake.submit.p50.toFixed(1)} / ${intake.submit.p99.toFixed(1)} ms`,
    target: 'measured',
    met: null,
  })
  rows.push({
    figure: 'intake submit storage round trips',
    value: intake.submit.roundTrips.toFixed(2),
    target: `≤ ${SUBMIT_ROUND_TRIPS_TARGET}`,
    met: intake.submit.maxRoundTrips <= SUBMIT_ROUND_TRIPS_TARGET,
  })
  rows.push({
    figure: 'intake submit storage commands',
    value: intake.submit.commands.toFixed(2),
    target: `≤ ${SUBMIT_COMMANDS_TARGET}`,
    met: intake.submit.commands <= SUBMIT_COMMANDS_TARGET,
  })
  rows.push({
    figure: 'queue page p50 / p99',
    value: `${intake.queue.p50.toFixed(1)} / ${intake.queue.p99.toFixed(1)} ms`,
    target: 'measured',
    met: null,
  })
  rows.push({
    figure: 'queue page round trips (page itself)',
    value: (intake.queue.roundTrips - 1).toFixed(2),
    target: `≤ ${QUEUE_ROUND_TRIPS_TARGET} (+1 session)`,
    met: intake.queue.maxRoundTrips - 1 <= QUEUE_ROUND_TRIPS_TARGET,
  })

  const searchFigures = measureSearch()
  rows.push({
    figure: `search p99 (${searchFigures.entries} entries)`,
    value: `${searchFigures.p99Ms.toFixed(2)} ms`,
    target: `≤ ${SEARCH_P99_TARGET_MS} ms`,
    met: searchFigures.p99Ms <= SEARCH_P99_TARGET_MS,
  })
  rows.push({
    figure: 'search index load',
    value: `${searchFigures.loadMs.toFixed(0)} ms`,
    target: `≤ ${INDEX_LOAD_TARGET_MS} ms`,
    met: searchFigures.loadMs <= INDEX_LOAD_TARGET_MS,
  })

  const fanout = await measureFanout()
  rows.push({
    figure: `fan-out to ${fanout.subscribers} subscribers`,
    value: `${fanout.seconds.toFixed(1)} s`,
    target: `≤ ${FANOUT_SECONDS_TARGET} s`,
    met: fanout.seconds <= FANOUT_SECONDS_TARGET && fanout.duplicates === 0 && fanout.missing === 0,
  })
  rows.push({
    figure: 'fan-out storage commands / recipient',
    value: fanout.commandsPerRecipient.toFixed(3),
    target: `≤ ${FANOUT_COMMANDS_TARGET}`,
    met: fanout.commandsPerRecipient <= FANOUT_COMMANDS_TARGET,
  })

  const width = Math.max(...rows.map((row) => row.figure.length))
  console.log(`${'figure'.padEnd(width)}  ${'value'.padStart(10)}  ${'target'.padEnd(14)}  met`)
  for (const row of rows) {
    const met = row.met === null ? '—' : row.met ? 'yes' : 'NO'
    console.log(`${row.figure.padEnd(width)}  ${row.value.padStart(10)}  ${row.target.padEnd(14)}  ${met}`)
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
