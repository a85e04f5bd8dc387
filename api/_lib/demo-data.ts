import type { StationSummary } from '../../src/shared/schemas/station'

/**
 * Demo stations for `npm start` and the tests. The cities and districts are real (the seeds'
 * regions: Qingdao's 就享家 stations, Chongqing's bank 助创驿站); station names, addresses,
 * banks and phone numbers are made up and say so; coordinates are rough district centres.
 */
export const DEMO_SEED_VERSION = '2026-11-23.3'

const QINGDAO_HOURS = '周一至周五 9:00–17:00'
const BANK_HOURS = '周一至周五 9:00–17:00，周六 9:00–12:00'

export const DEMO_STATIONS: StationSummary[] = [
  {
    code: 'QD0001',
    posterCode: 'QD0001',
    kind: 'station',
    name: '市南区香港中路街道就享家服务站',
    regionCode: '370202',
    districtName: '青岛市市南区',
    address: '香港中路街道社区服务中心一楼（演示地址）',
    hours: QINGDAO_HOURS,
    services: ['consult', 'intake', 'appointment'],
    phone: '0532-00000001',
    location: { lat: 36.0604, lng: 120.3826 },
    status: 'active',
  },
  {
    code: 'QD0002',
    posterCode: 'QD0002',
    kind: 'station',
    name: '市北区台东街道就享家服务站',
    regionCode: '370203',
    districtName: '青岛市市北区',
    address: '台东街道便民服务大厅（演示地址）',
    hours: QINGDAO_HOURS,
    services: ['consult', 'intake', 'appointment', 'mentor'],
    phone: '0532-00000002',
    location: { lat: 36.0875, lng: 120.3744 },
    status: 'active',
  },
  {
    code: 'QD0003',
    posterCode: 'QD0003',
    kind: 'station',
    name: '李沧区浮山路街道就享家服务站',
    regionCode: '370213',
    districtName: '青岛市李沧区',
    address: '浮山路街道党群服务中心二楼（演示地址）',
    hours: QINGDAO_HOURS,
    services: ['consult', 'intake', 'venue'],
    phone: '0532-00000003',
    location: { lat: 36.1607, lng: 120.4324 },
    status: 'active',
  },
  {
    code: 'QD0004',
    posterCode: 'QD0004',
    kind: 'station',
    name: '崂山区中韩街道就享家服务站',
    regionCode: '370212',
    districtName: '青岛市崂山区',
    address: '中韩街道创业孵化基地一楼（演示地址）',
    hours: QINGDAO_HOURS,
    services: ['consult', 'intake', 'appointment', 'mentor', 'venue'],
    phone: '0532-00000004',
    location: { lat: 36.104, lng: 120.4692 },
    status: 'active',
  },
  {
    code: 'CQ0001',
    posterCode: 'CQ0001',
    kind: 'bank_point',
    name: '渝中助创驿站',
    regionCode: '500103',
    districtName: '重庆市渝中区',
    address: '演示合作银行渝中支行营业厅（演示地址）',
    hours: BANK_HOURS,
    services: ['consult', 'intake'],
    phone: '023-00000001',
    location: { lat: 29.5567, lng: 106.5771 },
    bank: '演示合作银行',
    branch: '渝中支行',
    status: 'active',
  },
  {
    code: 'CQ0002',
    posterCode: 'CQ0002',
    kind: 'bank_point',
    name: '江北助创驿站',
    regionCode: '500105',
    districtName: '重庆市江北区',
    address: '演示合作银行江北支行营业厅（演示地址）',
    hours: BANK_HOURS,
    services: ['consult', 'intake'],
    phone: '023-00000002',
    location: { lat: 29.5752, lng: 106.574 },
    bank: '演示合作银行',
    branch: '江北支行',
    status: 'active',
  },
  {
    code: 'CQ0003',
    posterCode: 'CQ0003',
    kind: 'bank_point',
    name: '沙坪坝助创驿站',
    regionCode: '500106',
    districtName: '重庆市沙坪坝区',
    address: '演示城市商业银行沙坪坝支行（演示地址）',
    hours: BANK_HOURS,
    services: ['consult', 'intake'],
    phone: '023-00000003',
    location: { lat: 29.5412, lng: 106.4563 },
    bank: '演示城市商业银行',
    branch: '沙坪坝支行',
    status: 'active',
  },
  {
    code: 'CQ0004',
    posterCode: 'CQ0004',
    kind: 'bank_point',
    name: '九龙坡助创驿站',
    regionCode: '500107',
    districtName: '重庆市九龙坡区',
    address: '演示城市商业银行九龙坡支行（演示地址）',
    hours: BANK_HOURS,
    services: ['consult', 'intake'],
    phone: '023-00000004',
    location: { lat: 29.5023, lng: 106.5108 },
    bank: '演示城市商业银行',
    branch: '九龙坡支行',
    status: 'active',
  },
]

export interface DemoAccount {
  username: string
  displayName: string
  role: 'resident' | 'station_staff' | 'bank_staff' | 'official' | 'admin'
  scope:
    | { type: 'none' }
    | { type: 'station'; code: string }
    | { type: 'region'; code: string }
    | { type: 'all' }
}

/** One demo account per role. Passwords are generated per data directory, never stored here. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'demo-resident', displayName: '演示居民', role: 'resident', scope: { type: 'none' } },
  {
    username: 'demo-station',
    displayName: '演示就享家工作人员',
    role: 'station_staff',
    scope: { type: 'station', code: 'QD0001' },
  },
  {
    username: 'demo-bank',
    displayName: '演示助创驿站工作人员',
    role: 'bank_staff',
    scope: { type: 'station', code: 'CQ0001' },
  },
  {
    username: 'demo-official',
    displayName: '演示人社干部（青岛）',
    role: 'official',
    scope: { type: 'region', code: '370200' },
  },
  { username: 'demo-admin', displayName: '演示系统管理员', role: 'admin', scope: { type: 'all' } },
]
