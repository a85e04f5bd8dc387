import { useEffect, useState } from 'react'
import { api } from '../services'
import { type DeliveryStats, toPoll } from './announce-form'

/** How often progress is asked while a fan-out is running. */
const POLL_MS = 3000

/**
 * Delivery progress of announcements (sent / failed / skipped / pending), asked once for each and
 * again every few seconds for those still sending, until none is. Ids the caller may not read
 * (or that fail) are simply left out.
 */
export function useDeliveries(ids: readonly string[]): Record<string, DeliveryStats> {
  const [stats, setStats] = useState<Record<string, DeliveryStats>>({})
  const key = ids.join(',')

  useEffect(() => {
    const all = key ? key.split(',') : []
    let known: Record<string, DeliveryStats> = {}
    let timer: ReturnType<typeof setTimeout> | undefined
    let stopped = false
    const poll = async () => {
      const asked = toPoll(all, known)
      const answers = await Promise.all(
        asked.map((id) =>
          api
            .get<DeliveryStats>(`/api/v1/announcements/${encodeURIComponent(id)}/deliveries`)
            .then((answer) => [id, answer] as const)
            .catch(() => null),
        ),
      )
      if (stopped) return
      known = { ...known }
      for (const answer of answers) if (answer) known[answer[0]] = answer[1]
      setStats(known)
      // Failed asks are not retried by the timer: only running fan-outs are.
      if (all.some((id) => (known[id]?.pending ?? 0) > 0)) timer = setTimeout(poll, POLL_MS)
    }
    poll()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [key])

  return stats
}
