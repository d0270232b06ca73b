import type { Explanation } from './rules'

/**
 * Sender-side problems grouped so the admin sees one problem, not 312 bounces: the same receiving domain refusing
 * for the same cause with the same provider code ("since 28 Nov, 312 recipients at outlook.com refused with
 * S3150"). The database does the grouping (GROUP BY over the events); this turns groups into clusters.
 */
export interface BlockGroup {
  domain: string
  cause: string
  code: string
  since: string
  until: string
  recipients: number
  messages: number
  example: string
}

export interface Cluster extends BlockGroup {
  /** Stable id for "Open a case": domain|cause|code. */
  key: string
  summary: Explanation
}

export const clusterKey = (g: Pick<BlockGroup, 'domain' | 'cause' | 'code'>) =>
  `${g.domain}|${g.cause}|${g.code}`

export function parseClusterKey(key: string): { domain: string; cause: string; code: string } | undefined {
  const parts = key.split('|')
  if (parts.length !== 3) return undefined
  return { domain: parts[0], cause: parts[1], code: parts[2] }
}

export function buildClusters(groups: BlockGroup[]): Cluster[] {
  return groups
    .map((g) => ({
      ...g,
      key: clusterKey(g),
      summary: {
        code: g.code ? 'cluster.summary' : 'cluster.summaryNoCode',
        params: {
          since: g.since.slice(0, 10),
          recipients: g.recipients,
          domain: g.domain,
          code: g.code,
          cause: g.cause
        }
      }
    }))
    .sort((a, b) => b.recipients - a.recipients || (a.key < b.key ? -1 : 1))
}
