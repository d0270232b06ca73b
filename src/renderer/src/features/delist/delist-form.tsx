import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput
} from '@mantine/core'
import { IconExternalLink } from '@tabler/icons-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseTarget } from '@shared/contract/blocklist'
import type { BlocklistEntry, RemovalMethod } from '@shared/schemas/blocklist'
import { call } from '../../api/transport'

const METHODS: RemovalMethod[] = ['self-service', 'contact', 'automatic', 'paid-express', 'none']

export interface DelistFormProps {
  caseId: number
  /** A listing to request removal from; or undefined to track a provider block (choose the provider). */
  list?: BlocklistEntry
  target?: string
  providers: BlocklistEntry[]
  targets: CaseTarget[]
  onClose: () => void
  onCreated: () => void
}

/** Start tracking a delisting: how it is asked for, the ticket/reference, notes, and the removal page to open. */
export function DelistForm({
  caseId,
  list,
  target,
  providers,
  targets,
  onClose,
  onCreated
}: DelistFormProps) {
  const { t } = useTranslation('blocklist')
  const [providerId, setProviderId] = useState<string | null>(list ? list.id : (providers[0]?.id ?? null))
  const chosen = list ?? providers.find((p) => p.id === providerId)
  const [who, setWho] = useState(target ?? targets.find((x) => x.suggested)?.value ?? '')
  const [method, setMethod] = useState<RemovalMethod>(chosen?.removal.method ?? 'self-service')
  const [reference, setReference] = useState('')
  const [notes, setNotes] = useState('')
  const [requested, setRequested] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (chosen) setMethod(chosen.removal.method)
  }, [chosen])

  async function submit() {
    if (!chosen) return
    if (!who.trim()) {
      setError(t('form.needTarget'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      await call('delist.create', {
        caseId,
        list: chosen.id,
        target: who.trim(),
        method,
        reference: reference.trim() || undefined,
        notes: notes.trim() || undefined,
        requested
      })
      onCreated()
      onClose()
    } catch (e) {
      setError((e as Error).message) // the form stays filled in
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal
      opened
      onClose={onClose}
      title={list ? t('form.titleList', { list: list.name }) : t('form.titleProvider')}
      size="lg"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <Stack gap="sm" data-testid="delist-form">
          {!list && (
            <Select
              label={t('form.provider')}
              data={providers.map((p) => ({ value: p.id, label: p.name }))}
              value={providerId}
              onChange={setProviderId}
              allowDeselect={false}
              data-testid="delist-provider"
            />
          )}
          {list && target ? (
            <Text size="sm">{t('form.target', { target })}</Text>
          ) : (
            <TextInput
              label={t('form.targetLabel')}
              description={t('form.targetHelp')}
              value={who}
              onChange={(e) => setWho(e.currentTarget.value)}
              list="delist-targets"
              data-testid="delist-target"
            />
          )}
          <datalist id="delist-targets">
            {targets.map((x) => (
              <option key={x.value} value={x.value} />
            ))}
          </datalist>
          {chosen && (
            <Alert color="blue" variant="light">
              <Stack gap={4}>
                <Text size="sm">{t(`removal.${chosen.removal.method}`)}</Text>
                {chosen.removal.notes && <Text size="xs">{chosen.removal.notes}</Text>}
                {chosen.removal.expiry && (
                  <Text size="xs" c="dimmed">
                    {chosen.removal.expiry}
                  </Text>
                )}
                {chosen.removal.url && (
                  <Anchor
                    href={chosen.removal.url}
                    target="_blank"
                    rel="noreferrer"
                    size="sm"
                    data-testid="delist-removal-url"
                  >
                    {t('form.openRemoval')} <IconExternalLink size={12} />
                  </Anchor>
                )}
              </Stack>
            </Alert>
          )}
          <Select
            label={t('form.method')}
            data={METHODS.map((m) => ({ value: m, label: t(`method.${m}`) }))}
            value={method}
            onChange={(v) => v && setMethod(v as RemovalMethod)}
            allowDeselect={false}
          />
          <TextInput
            label={t('form.reference')}
            placeholder={t('form.referencePlaceholder')}
            value={reference}
            onChange={(e) => setReference(e.currentTarget.value)}
            data-testid="delist-reference"
          />
          <Textarea
            label={t('form.notes')}
            autosize
            minRows={2}
            value={notes}
            onChange={(e) => setNotes(e.currentTarget.value)}
          />
          <Checkbox
            label={t('form.requested')}
            description={t('form.requestedHelp')}
            checked={requested}
            onChange={(e) => setRequested(e.currentTarget.checked)}
            data-testid="delist-requested"
          />
          {error && (
            <Alert color="red" data-testid="delist-form-error">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={!chosen} data-testid="delist-form-submit">
              {t('form.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
