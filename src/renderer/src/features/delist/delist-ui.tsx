import { ActionIcon, Badge, Button, Menu, Tooltip } from '@mantine/core'
import { IconAlertTriangle, IconDots, IconRefresh } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DelistRequestView } from '@shared/contract/blocklist'
import type { DelistStatus } from '@shared/schemas/blocklist'
import { call } from '../../api/transport'
import { fmtDuration } from '../../i18n'

export const STATUS_ORDER: DelistStatus[] = [
  'listed',
  'requested',
  'pending',
  'delisted',
  'rejected',
  'expired'
]

export const STATUS_COLOR: Record<DelistStatus, string> = {
  listed: 'red',
  requested: 'orange',
  pending: 'yellow',
  delisted: 'teal',
  rejected: 'grape',
  expired: 'gray'
}

export function StatusBadge({ status }: { status: DelistStatus }) {
  const { t } = useTranslation('blocklist')
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-testid="delist-status" data-status={status}>
      {t(`delistStatus.${status}`)}
    </Badge>
  )
}

/** "3 h" since an ISO date, as of `now`. */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '—'
  return fmtDuration(Math.max(0, (now - Date.parse(iso)) / 1000))
}

/** Moves a request may make by hand from its status (DNS lists reach delisted/expired only through re-checks). */
export function manualMoves(r: DelistRequestView): DelistStatus[] {
  const next: Record<DelistStatus, DelistStatus[]> = {
    listed: ['requested', 'expired'],
    requested: ['pending', 'rejected', 'expired'],
    pending: ['rejected', 'expired'],
    delisted: ['listed'],
    expired: ['listed'],
    rejected: ['requested', 'listed']
  }
  const moves = [...next[r.status]]
  if (r.manual && (r.status === 'listed' || r.status === 'requested' || r.status === 'pending'))
    moves.push('delisted')
  return moves
}

/** "Mark as …" menu and "Check now" for one request; errors are shown by the caller. */
export function RequestActions({
  request: r,
  onDone,
  onError,
  compact = false
}: {
  request: DelistRequestView
  onDone: () => void
  onError: (message: string) => void
  /** Icon-only "check now" for narrow tables. */
  compact?: boolean
}) {
  const { t } = useTranslation('blocklist')
  const [busy, setBusy] = useState(false)
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true)
    try {
      await fn()
      onDone()
    } catch (e) {
      onError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      {!r.manual && compact && (
        <Tooltip label={`${t('requests.checkNow')}: ${t('requests.checkNowHelp')}`}>
          <ActionIcon
            variant="default"
            size="sm"
            loading={busy}
            aria-label={t('requests.checkNow')}
            onClick={() => act(() => call('delist.checkNow', { id: r.id }))}
            data-testid={`delist-check-${r.id}`}
          >
            <IconRefresh size={14} />
          </ActionIcon>
        </Tooltip>
      )}
      {!r.manual && !compact && (
        <Tooltip label={t('requests.checkNowHelp')}>
          <Button
            size="compact-xs"
            variant="default"
            leftSection={<IconRefresh size={12} />}
            loading={busy}
            onClick={() => act(() => call('delist.checkNow', { id: r.id }))}
            data-testid={`delist-check-${r.id}`}
          >
            {t('requests.checkNow')}
          </Button>
        </Tooltip>
      )}
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon
            variant="default"
            size="sm"
            aria-label={t('requests.more')}
            data-testid={`delist-menu-${r.id}`}
          >
            <IconDots size={14} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t('requests.markAs')}</Menu.Label>
          {manualMoves(r).map((s) => (
            <Menu.Item
              key={s}
              onClick={() => act(() => call('delist.update', { id: r.id, status: s }))}
              data-testid={`delist-mark-${s}`}
            >
              {t(`delistStatus.${s}`)}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
    </>
  )
}

/** "Stale": requested longer ago than the list usually takes, and still listed (shared by the board and the case). */
export function StaleBadge({ r, testId }: { r: DelistRequestView; testId: string }) {
  const { t } = useTranslation('blocklist')
  if (!(r.stale || r.overdue)) return null
  return (
    <Tooltip label={t('requests.staleHelp', { hours: r.expectedDelayHours ?? '?' })}>
      <Badge size="xs" color="orange" leftSection={<IconAlertTriangle size={10} />} data-testid={testId}>
        {t('requests.stale')}
      </Badge>
    </Tooltip>
  )
}
