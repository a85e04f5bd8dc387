/**
 * The public policy documents the product is built from (shared/seeds in the project's steering
 * repository). Pocket-book entries cite these by `id` and clause.
 */
export interface SourceDocument {
  id: string
  title: string
  issuer: string
  /** 文号, where the document has one. */
  number?: string
  date: string
  region: string
}

export const SOURCE_DOCUMENTS: readonly SourceDocument[] = [
  {
    id: 'mohrss-2025-5',
    title: '关于健全创业支持体系提升创业质量的意见',
    issuer: '人力资源社会保障部等7部门',
    number: '人社部发〔2025〕5号',
    date: '2025-02-26',
    region: '全国',
  },
  {
    id: 'chongqing-2025',
    title: '“创在重庆·渝创渝新”创业带动就业工作方案',
    issuer: '重庆市人力资源和社会保障局办公室',
    date: '2025-12-25',
    region: '重庆市',
  },
  {
    id: 'qingdao-2025-39',
    title: '青岛市“创业陪跑”行动',
    issuer: '青岛市人力资源和社会保障局等5部门',
    number: '青人社字〔2025〕39号',
    date: '2025-06-04',
    region: '青岛市',
  },
  {
    id: 'heilongjiang-2025',
    title: '“创响龙江”行动实施方案（2025—2027年）',
    issuer: '黑龙江省人力资源和社会保障厅等7部门',
    date: '2025',
    region: '黑龙江省',
  },
  {
    id: 'liaoning-2025',
    title: '辽宁省重点群体创业推进行动工作方案',
    issuer: '辽宁省人力资源和社会保障厅等部门',
    date: '2025',
    region: '辽宁省',
  },
]
