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
 *   ds:code:{CODE}                  string  JSON poster code → station: active, or revoked and by what
 *                                           replaced (codes are never reused)
 *   ds:scans:{STATION}              hash    scans of a station's QR per UTC+8 day (YYYY-MM-DD → n)
 *   ds:account:{ID}                 string  JSON account record (AccountRecordSchema)
 *   ds:account:username:{NAME}      string  account id for a lower-cased username (unique)
 *   ds:accounts:staff               set     ids of every staff, official and administrator account
 *   ds:account:identity:{PROVIDER}:{APPID}:{OPENID}
 *                                   string  account id for a WeChat / Alipay identity
 *                                           (e.g. wechat:wx123:o6_bmjrPT…) or an H5 device
 *   ds:audit:{YYYY-MM-DD}           list    audit events of a UTC day (JSON), newest first
 *   ds:session:family:{FAMILY}      string  JSON refresh-token family: account, kind, started,
 *                                           last use, current refresh jti, revoked (TTL = 30 d)
 *   ds:session:denied:{JTI}         string  "1" — a revoked access token (TTL = its remaining life)
 *   ds:invitation:{CODE}            string  JSON one-time invitation (TTL = 72 h)
 *   ds:invitations:region:{REGION}  set     invitation codes created within a region
 *   ds:platform:token:{APP}         string  cached platform access token (WeChat), TTL = expiry
 *   ds:wxacode:{STATION}:{POSTER}   string  base64 小程序码 image of a station for one poster code (TTL = 30 d)
 *   ds:intake:{ID}                  hash    a loan intake: `v` (version, for compare-and-set) and `doc`
 *                                           (JSON IntakeRecord; personal data encrypted, masks in clear)
 *   ds:intake:receipt:{RECEIPT}     string  intake id for a receipt code
 *   ds:intake:idem:{ACCOUNT}:{KEY}  string  JSON { id, hash } of a submit's Idempotency-Key (TTL 24 h)
 *   ds:intake:dup:{STATION}:{BLIND} string  intake id of a person's filing at a point (TTL 30 d);
 *                                           BLIND = HMAC blind index of the 身份证号
 *   ds:intake:queue:{STATION}       zset    intake ids of a point, score = filing time (ms × 1000 + jitter)
 *   ds:intake:queue:{STATION}:{STATUS}
 *                                   zset    the same, one set per status
 *   ds:intake:mine:{ACCOUNT}        zset    a resident's intake ids, score = filing time
 *   ds:intake:closed                zset    closed intake ids, score = closing time (ms): the purge index
 *   ds:intake:rate:{KIND}:{WHO}:{WINDOW}
 *                                   string  fixed-window submit counter (INCR inside the submit script)
 *   ds:intake:groups                hash    target groups officials added: id → label
 *   ds:policy:{ID}                  string  JSON pocket-book entry, its latest version (PolicyEntrySchema)
 *   ds:policy:{ID}:versions         list    every saved version of the entry, oldest first
 *   ds:policies                     set     every entry id
 *   ds:pocketbook:bundle            string  JSON { etag, entries } of the published entries (offline copy)
 *   ds:pocketbook:etag              string  the bundle's content hash
 *   ds:pocketbook:index             string  JSON { etag, index } — the search index of that bundle
 *   ds:consult:{ID}                 hash    a consultation: `v` (version) and `doc` (JSON, mobile encrypted)
 *   ds:consult:inbox:{STATION}      zset    consultations waiting for an answer, score = due time (ms)
 *   ds:consult:station:{STATION}    zset    every consultation of a station, score = asked at (ms)
 *   ds:consult:mine:{ACCOUNT}       zset    a resident's consultations, score = asked at (ms)
 *   ds:consult:unread:{ACCOUNT}     set     a resident's consultations with an answer not yet read
 *   ds:slots:{STATION}              string  JSON weekly slots and exceptions of a station
 *   ds:slot:{STATION}:{DATE}:{START}
 *                                   hash    one slot's bookings: `n` (count) and one field per account
 *   ds:booking:{ID}                 string  JSON booking
 *   ds:bookings:mine:{ACCOUNT}      zset    a resident's bookings, score = slot start (ms)
 *   ds:bookings:day:{STATION}:{DATE}
 *                                   zset    a station's bookings of a day, score = slot start (ms)
 *   ds:ann:{ID}                     hash    an announcement: `v` (version) and `doc` (JSON)
 *   ds:ann:region:{REGION}          zset    announcements targeting a region, score = publish time (ms)
 *   ds:ann:station:{STATION}        zset    announcements targeting a station, score = publish time (ms)
 *   ds:ann:scope:{REGION}           zset    announcements composed within an official's region
 *   ds:ann:read:{ACCOUNT}           set     announcements a resident has read
 *   ds:ann:dlv:{ID}                 hash    per-recipient delivery: account → claimed:<ms> | sent |
 *                                           failed:<code> | skipped:<reason>
 *   ds:ann:stats:{ID}               hash    sent / failed / skipped / total counters of a fan-out
 *   ds:sub:{ACCOUNT}                hash    a resident's subscriptions: `openid`, `groups`, and per
 *                                           template `<template>:n` (one-time sends left) or `<template>:lt`
 *   ds:subs:region:{REGION}         set     subscribed accounts within a region (district, city, province)
 *   ds:subs:station:{STATION}       set     subscribed accounts of a station
 *   ds:job:{ID}                     string  "1" — a queue job already handled (deduplication, TTL 1 d)
 *   ds:rl:…                         —       @upstash/ratelimit's own keys, under this prefix
 */
const PREFIX = 'ds'

export const keys = {
  seedVersion: () => `${PREFIX}:meta:seed`,
  station: (code: string) => `${PREFIX}:station:${code}`,
  stations: () => `${PREFIX}:stations`,
  stationsInRegion: (region: string) => `${PREFIX}:stations:region:${region}`,
  posterCode: (code: string) => `${PREFIX}:code:${code}`,
  scans: (station: string) => `${PREFIX}:scans:${station}`,
  account: (id: string) => `${PREFIX}:account:${id}`,
  accountByUsername: (username: string) => `${PREFIX}:account:username:${username.toLowerCase()}`,
  staffAccounts: () => `${PREFIX}:accounts:staff`,
  accountByIdentity: (identity: string) => `${PREFIX}:account:identity:${identity}`,
  auditDay: (day: string) => `${PREFIX}:audit:${day}`,
  sessionFamily: (family: string) => `${PREFIX}:session:family:${family}`,
  deniedToken: (jti: string) => `${PREFIX}:session:denied:${jti}`,
  invitation: (code: string) => `${PREFIX}:invitation:${code}`,
  invitationsInRegion: (region: string) => `${PREFIX}:invitations:region:${region}`,
  platformToken: (app: string) => `${PREFIX}:platform:token:${app}`,
  wxacode: (station: string, posterCode: string) => `${PREFIX}:wxacode:${station}:${posterCode}`,
  rateLimitPrefix: () => `${PREFIX}:rl`,
  intake: (id: string) => `${PREFIX}:intake:${id}`,
  intakeByReceipt: (receipt: string) => `${PREFIX}:intake:receipt:${receipt}`,
  intakeIdempotency: (account: string, key: string) => `${PREFIX}:intake:idem:${account}:${key}`,
  intakeDuplicate: (station: string, blind: string) => `${PREFIX}:intake:dup:${station}:${blind}`,
  intakeQueue: (station: string, status?: string) =>
    status ? `${PREFIX}:intake:queue:${station}:${status}` : `${PREFIX}:intake:queue:${station}`,
  intakesOf: (account: string) => `${PREFIX}:intake:mine:${account}`,
  intakesClosed: () => `${PREFIX}:intake:closed`,
  intakeRate: (kind: string, who: string, window: number) => `${PREFIX}:intake:rate:${kind}:${who}:${window}`,
  targetGroups: () => `${PREFIX}:intake:groups`,
  policy: (id: string) => `${PREFIX}:policy:${id}`,
  policyVersions: (id: string) => `${PREFIX}:policy:${id}:versions`,
  policies: () => `${PREFIX}:policies`,
  pocketbookBundle: () => `${PREFIX}:pocketbook:bundle`,
  pocketbookEtag: () => `${PREFIX}:pocketbook:etag`,
  pocketbookIndex: () => `${PREFIX}:pocketbook:index`,
  consult: (id: string) => `${PREFIX}:consult:${id}`,
  consultInbox: (station: string) => `${PREFIX}:consult:inbox:${station}`,
  consultsOfStation: (station: string) => `${PREFIX}:consult:station:${station}`,
  consultsOf: (account: string) => `${PREFIX}:consult:mine:${account}`,
  consultUnread: (account: string) => `${PREFIX}:consult:unread:${account}`,
  slots: (station: string) => `${PREFIX}:slots:${station}`,
  slot: (station: string, date: string, start: string) => `${PREFIX}:slot:${station}:${date}:${start}`,
  booking: (id: string) => `${PREFIX}:booking:${id}`,
  bookingsOf: (account: string) => `${PREFIX}:bookings:mine:${account}`,
  bookingsOfDay: (station: string, date: string) => `${PREFIX}:bookings:day:${station}:${date}`,
  announcement: (id: string) => `${PREFIX}:ann:${id}`,
  announcementsOfRegion: (region: string) => `${PREFIX}:ann:region:${region}`,
  announcementsOfStation: (station: string) => `${PREFIX}:ann:station:${station}`,
  announcementsInScope: (region: string) => `${PREFIX}:ann:scope:${region}`,
  announcementsRead: (account: string) => `${PREFIX}:ann:read:${account}`,
  deliveries: (id: string) => `${PREFIX}:ann:dlv:${id}`,
  deliveryStats: (id: string) => `${PREFIX}:ann:stats:${id}`,
  subscriber: (account: string) => `${PREFIX}:sub:${account}`,
  subscribersOfRegion: (region: string) => `${PREFIX}:subs:region:${region}`,
  subscribersOfStation: (station: string) => `${PREFIX}:subs:station:${station}`,
  jobDone: (id: string) => `${PREFIX}:job:${id}`,
} as const
