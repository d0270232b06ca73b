import {
  AppShell,
  Group,
  MantineProvider,
  NavLink,
  Text,
  Title,
  ActionIcon,
  useMantineColorScheme,
  Tooltip
} from '@mantine/core'
import { Notifications, notifications } from '@mantine/notifications'
import {
  IconBriefcase,
  IconHeartbeat,
  IconChartAreaLine,
  IconListCheck,
  IconMailCheck,
  IconMoon,
  IconSettings,
  IconShieldSearch,
  IconSun,
  IconWorldWww,
  IconRadar
} from '@tabler/icons-react'
import { QueryClientProvider } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { queryClient, useBackendInvalidation } from './api/query'
import { call, onEvent } from './api/transport'
import { CasesView } from './features/cases/cases-view'
import { SettingsView } from './features/settings/settings-view'
import { DomainView } from './features/domain/domain-view'
import { BlocklistView } from './features/blocklist/blocklist-view'
import { BoardView } from './features/delist/board-view'
import { HygieneView } from './features/hygiene/hygiene-view'
import { DmarcView } from './features/dmarc/dmarc-view'
import { PrecheckView } from './features/precheck/precheck-view'
import { WatchView } from './features/watch/watch-view'
import { useHashRoute } from './hooks'
import i18n, { systemLanguage } from './i18n'
import { cssVariablesResolver, theme } from './theme'

function ThemeToggle() {
  const { colorScheme, setColorScheme } = useMantineColorScheme()
  const { t } = useTranslation()
  const dark = colorScheme === 'dark'
  return (
    <Tooltip label={t('app.toggleTheme')}>
      <ActionIcon
        variant="default"
        aria-label={t('app.toggleTheme')}
        onClick={() => {
          const next = dark ? 'light' : 'dark'
          setColorScheme(next)
          void call('settings.set', { theme: next })
        }}
      >
        {dark ? <IconSun size={16} /> : <IconMoon size={16} />}
      </ActionIcon>
    </Tooltip>
  )
}

function Shell() {
  const { t } = useTranslation()
  const [route, go] = useHashRoute()
  const [ready, setReady] = useState(false)
  const { setColorScheme } = useMantineColorScheme()
  useBackendInvalidation()

  // Once per page load. With setColorScheme as a dependency this effect looped: changeLanguage re-renders the shell,
  // Mantine hands out a new setColorScheme, the effect ran again… a settings.get and a re-render of every open
  // panel many times a second, which alone kept a large evidence view from ever becoming responsive.
  useEffect(() => {
    call('settings.get', {})
      .then((s) => {
        void i18n.changeLanguage(s.language === 'system' ? systemLanguage() : s.language)
        setColorScheme(s.theme)
      })
      .catch(() => undefined)
      .finally(() => setReady(true))
    return onEvent((name, payload) => {
      if (name === 'toast') {
        const p = payload as { level: string; title: string; message: string }
        notifications.show({
          title: p.title,
          message: p.message,
          color: p.level === 'error' ? 'red' : p.level === 'warning' ? 'yellow' : 'blue'
        })
      }
    })
  }, []) // eslint-disable-line react-hooks/exhaustive-deps

  const section = route[0] ?? 'cases'
  const nav = [
    { id: 'cases', label: t('nav.cases'), icon: <IconBriefcase size={18} /> },
    { id: 'domain', label: t('nav.domain'), icon: <IconWorldWww size={18} /> },
    { id: 'blocklists', label: t('nav.blocklists'), icon: <IconShieldSearch size={18} /> },
    { id: 'dmarc', label: t('nav.dmarc'), icon: <IconChartAreaLine size={18} /> },
    { id: 'board', label: t('nav.board'), icon: <IconListCheck size={18} /> },
    { id: 'hygiene', label: t('nav.hygiene'), icon: <IconHeartbeat size={18} /> },
    { id: 'precheck', label: t('nav.precheck'), icon: <IconMailCheck size={18} /> },
    { id: 'watch', label: t('watch:nav'), icon: <IconRadar size={18} /> },
    { id: 'settings', label: t('nav.settings'), icon: <IconSettings size={18} /> }
  ]
  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: 210, breakpoint: 0 }}
      padding="md"
      data-app-state={ready ? 'ready' : 'loading'}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <img src="./favicon.svg" width={24} height={24} alt="" />
            <Title order={4}>Delivery Desk</Title>
            <Text size="sm" c="dimmed">
              {t('app.tagline')}
            </Text>
          </Group>
          <ThemeToggle />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        {nav.map((n) => (
          <NavLink
            key={n.id}
            label={n.label}
            leftSection={n.icon}
            active={section === n.id}
            variant="filled"
            // A real link (the hash route) so the navigation is reachable and usable from the keyboard.
            href={`#/${n.id}`}
            aria-current={section === n.id ? 'page' : undefined}
            data-testid={`nav-${n.id}`}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {section === 'settings' ? (
          <SettingsView />
        ) : section === 'domain' ? (
          <DomainView initialDomain={route[1] ? decodeURIComponent(route[1]) : undefined} />
        ) : section === 'blocklists' ? (
          <BlocklistView initialTarget={route[1] ? decodeURIComponent(route[1]) : undefined} />
        ) : section === 'dmarc' ? (
          <DmarcView initialDomain={route[1] ? decodeURIComponent(route[1]) : undefined} />
        ) : section === 'board' ? (
          <BoardView go={go} />
        ) : section === 'hygiene' ? (
          <HygieneView go={go} />
        ) : section === 'precheck' ? (
          <PrecheckView />
        ) : section === 'watch' ? (
          <WatchView go={go} />
        ) : (
          <CasesView caseId={route[1] ? Number(route[1]) : undefined} go={go} />
        )}
      </AppShell.Main>
    </AppShell>
  )
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
        <Notifications position="top-right" />
        <Shell />
      </MantineProvider>
    </QueryClientProvider>
  )
}
