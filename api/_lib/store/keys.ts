/**
 * Every Redis key the product uses is built here and nowhere else.
 *
 * Scheme — `ds:` prefix (one Redis may host other things), then the entity, then its id;
 * ids are upper-case station codes, GB/T 2260 region codes or random account ids:
 *
 *   ds:meta:seed                    string  demo-data version already seeded (SET NX guard)
 *   ds:station:{CODE}               string  JSON station record (StationRecordSchema)
 *   ds:stations                     set     every station code
 *   ds:stations:region:{REGION}     set     codes of stations within a region — written for the
 *                                           district, its city and its province
 *   ds:account:{ID}                 string  JSON account record (AccountRecordSchema)
 *   ds:account:username:{NAME}      string  account id for a lower-cased username (unique)
 *   ds:audit:{YYYY-MM-DD}           list    audit events of a UTC day (JSON), newest first
 */
const PREFIX = 'ds'

export const keys = {
  seedVersion: () => `${PREFIX}:meta:seed`,
  station: (code: string) => `${PREFIX}:station:${code}`,
  stations: () => `${PREFIX}:stations`,
  stationsInRegion: (region: string) => `${PREFIX}:stations:region:${region}`,
  account: (id: string) => `${PREFIX}:account:${id}`,
  accountByUsername: (username: string) => `${PREFIX}:account:username:${username.toLowerCase()}`,
  auditDay: (day: string) => `${PREFIX}:audit:${day}`,
} as const
