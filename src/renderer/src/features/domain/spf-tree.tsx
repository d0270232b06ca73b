import { Badge, Box, Code, Group, Paper, RingProgress, Stack, Text, Tooltip } from '@mantine/core'
import { useTranslation } from 'react-i18next'
import type { SpfNode, SpfReport, SpfTerm } from '@shared/schemas/domain'
import { fmtNumber, useText } from '../../i18n'
import { STATE_COLOR } from './domain-ui'

/** RFC 7208 §4.6.4: at most 10 DNS-querying terms per check_host(), and at most 2 void lookups. */
const LOOKUP_LIMIT = 10
const VOID_LIMIT = 2

const ownLookups = (n: SpfNode) => n.terms.reduce((s, t) => s + t.lookups, 0)
const ownVoids = (n: SpfNode) => n.terms.reduce((s, t) => s + t.voidLookups, 0)

/**
 * The SPF record as a tree: each include/redirect is drawn under the term that pulls it in, with the lookups it
 * costs. Terms are numbered in evaluation order so the admin sees exactly which one crosses the limit of 10.
 */
export function SpfTree({ spf }: { spf: SpfReport }) {
  const { t } = useTranslation('domain')
  if (!spf.tree) return null
  const over = spf.lookupCount > LOOKUP_LIMIT
  const ringColor = over ? 'red' : spf.lookupCount >= 8 ? 'orange' : 'teal'
  return (
    <Paper withBorder p="xs" mt="xs" data-testid="spf-tree">
      <Group align="center" gap="md" mb="xs">
        <RingProgress
          size={92}
          thickness={9}
          roundCaps
          sections={[{ value: Math.min(100, (spf.lookupCount / LOOKUP_LIMIT) * 100), color: ringColor }]}
          label={
            <Text ta="center" fw={700} size="sm" c={over ? 'red' : undefined} data-testid="spf-lookup-total">
              {fmtNumber(spf.lookupCount)}/{LOOKUP_LIMIT}
            </Text>
          }
        />
        <Stack gap={2}>
          <Text fw={600}>{t('spf.lookups', { count: spf.lookupCount, limit: LOOKUP_LIMIT })}</Text>
          <Text size="sm" c={over ? 'red' : 'dimmed'}>
            {over
              ? t('spf.overLimit', { limit: LOOKUP_LIMIT })
              : t('spf.underLimit', { left: LOOKUP_LIMIT - spf.lookupCount })}
          </Text>
          <Text
            size="sm"
            c={spf.voidLookupCount > VOID_LIMIT ? 'red' : 'dimmed'}
            data-testid="spf-void-total"
          >
            {t('spf.voids', { count: spf.voidLookupCount, limit: VOID_LIMIT })}
          </Text>
        </Stack>
      </Group>
      <NodeView p={plan(spf.tree, { n: 0 })} depth={0} />
    </Paper>
  )
}

interface PlannedRow {
  term: SpfTerm
  /** Running lookup number after this term (check_host() order), or null when the term costs none. */
  n: number | null
  child?: Planned
}
interface Planned {
  node: SpfNode
  rows: PlannedRow[]
  /** Children not matched to a term (e.g. a macro in the include target). */
  orphans: Planned[]
}

/** Number the lookups depth first, as a receiver evaluates them: an include's record before the next term. */
function plan(node: SpfNode, counter: { n: number }): Planned {
  const used = new Set<SpfNode>()
  const rows = node.terms.map((term): PlannedRow => {
    let n: number | null = null
    if (term.lookups > 0) n = counter.n += term.lookups
    let child: Planned | undefined
    if (term.name === 'include' || term.name === 'redirect') {
      const v = (term.value ?? '').toLowerCase().replace(/\.$/, '')
      const c = node.children.find((ch) => !used.has(ch) && ch.domain.toLowerCase() === v)
      if (c) {
        used.add(c)
        child = plan(c, counter)
      }
    }
    return { term, n, child }
  })
  return { node, rows, orphans: node.children.filter((c) => !used.has(c)).map((c) => plan(c, counter)) }
}

function NodeView({ p, depth }: { p: Planned; depth: number }) {
  const { t } = useTranslation('domain')
  const tx = useText()
  const node = p.node
  const own = ownLookups(node)
  const voids = ownVoids(node)
  return (
    <Box
      pl={depth ? 'sm' : 0}
      ml={depth ? 6 : 0}
      style={depth ? { borderLeft: '2px solid var(--mantine-color-default-border)' } : undefined}
      data-testid="spf-node"
      data-domain={node.domain}
    >
      <Group gap={6} wrap="wrap">
        <Text ff="monospace" fw={600} size="sm">
          {node.domain}
        </Text>
        {node.via !== 'root' && (
          <Badge size="xs" variant="outline" color="gray">
            {node.via}
          </Badge>
        )}
        {/* A record that parses is not a verdict on the whole SPF check, so only problems get a badge here. */}
        {node.state !== 'pass' && (
          <Badge size="xs" variant="light" color={STATE_COLOR[node.state]}>
            {t(`state.${node.state}`)}
          </Badge>
        )}
        <Tooltip label={t('spf.nodeLookupsHelp')}>
          <Badge size="xs" variant="light" color={own ? 'blue' : 'gray'} data-testid="spf-node-lookups">
            {t('spf.nodeLookups', { own, total: node.totalLookups })}
          </Badge>
        </Tooltip>
        {voids > 0 && (
          <Badge size="xs" variant="light" color="orange">
            {t('spf.nodeVoids', { count: voids })}
          </Badge>
        )}
      </Group>
      {node.error && (
        <Text size="xs" c="red">
          {tx(node.errorText, node.error)}
        </Text>
      )}
      <Stack gap={2} mt={2} mb={4}>
        {p.rows.map(({ term, n, child }, i) => {
          const pastLimit = n !== null && n > LOOKUP_LIMIT
          return (
            <Box key={i}>
              <Group gap={6} wrap="nowrap">
                <Code
                  c={term.error || pastLimit ? 'red' : undefined}
                  style={{ wordBreak: 'break-all' }}
                  data-testid={pastLimit ? 'spf-term-over' : 'spf-term'}
                >
                  {term.term}
                </Code>
                {n !== null && (
                  <Text size="xs" c={pastLimit ? 'red' : 'dimmed'} fw={pastLimit ? 600 : undefined}>
                    {t('spf.termLookup', { n })}
                  </Text>
                )}
                {term.voidLookups > 0 && (
                  <Text size="xs" c="orange">
                    {t('spf.void')}
                  </Text>
                )}
                {term.error && (
                  <Text size="xs" c="red">
                    {tx(term.errorText, term.error)}
                  </Text>
                )}
              </Group>
              {child && <NodeView p={child} depth={depth + 1} />}
            </Box>
          )
        })}
        {p.orphans.map((c, i) => (
          <NodeView key={`x${i}`} p={c} depth={depth + 1} />
        ))}
      </Stack>
    </Box>
  )
}
