import {
  Alert,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Title
} from '@mantine/core'
import { IconDownload, IconEye } from '@tabler/icons-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CaseSummary } from '@shared/schemas/case'
import type { ReportFormat, ReportLanguage, ReportVariant } from '@shared/schemas/workflow'
import { call } from '../../api/transport'
import i18n from '../../i18n'
import { base64ToBytes, saveBytes } from '../workflow/ui'

/** The Report step: export the case (HTML, PDF, Markdown, JSON; full or for the blocklist operator). */
export function ReportPanel({ caseSummary, onChanged }: { caseSummary: CaseSummary; onChanged: () => void }) {
  const { t } = useTranslation('workflow')
  const caseId = caseSummary.id
  const [format, setFormat] = useState<ReportFormat>('html')
  const [variant, setVariant] = useState<ReportVariant>('full')
  const [language, setLanguage] = useState<ReportLanguage>(i18n.language?.startsWith('fr') ? 'fr' : 'en')
  const [contact, setContact] = useState('')
  const [busy, setBusy] = useState<'export' | 'preview' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [preview, setPreview] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)

  const input = { caseId, variant, language, contact: contact.trim() || undefined }

  async function exportNow() {
    setBusy('export')
    setError(null)
    setSaved(null)
    try {
      const file = await call('report.export', { ...input, format })
      saveBytes(file.fileName, file.mimeType, base64ToBytes(file.base64))
      setSaved(file.fileName)
      onChanged()
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(null)
    }
  }

  async function showPreview() {
    setBusy('preview')
    setError(null)
    try {
      const file = await call('report.export', { ...input, format: 'html', preview: true })
      setPreview(new TextDecoder().decode(base64ToBytes(file.base64)))
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(null)
    }
  }

  return (
    <Stack gap="sm" data-testid="report-panel">
      <Paper withBorder p="sm">
        <Title order={5} mb="xs">
          {t('report.title')}
        </Title>
        <Group align="flex-end" gap="md">
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('report.format')}
            </Text>
            <SegmentedControl
              value={format}
              onChange={(v) => setFormat(v as ReportFormat)}
              data={(['html', 'pdf', 'md', 'json'] as const).map((f) => ({
                value: f,
                label: t(`report.formats.${f}`)
              }))}
              data-testid="report-format"
            />
          </div>
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('report.variant')}
            </Text>
            <SegmentedControl
              value={variant}
              onChange={(v) => setVariant(v as ReportVariant)}
              data={[
                { value: 'full', label: t('report.full') },
                { value: 'operator', label: t('report.operator') }
              ]}
              data-testid="report-variant"
            />
          </div>
          <Select
            w={140}
            label={t('report.language')}
            value={language}
            allowDeselect={false}
            onChange={(v) => v && setLanguage(v as ReportLanguage)}
            data={[
              { value: 'en', label: 'English' },
              { value: 'fr', label: 'Français' }
            ]}
          />
          {variant === 'operator' && (
            <TextInput
              w={260}
              label={t('report.contact')}
              placeholder="postmaster@example.com"
              value={contact}
              onChange={(e) => setContact(e.currentTarget.value)}
            />
          )}
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          {t(variant === 'operator' ? 'report.operatorHelp' : 'report.fullHelp')}
        </Text>
        <Group mt="sm">
          <Button
            leftSection={<IconDownload size={16} />}
            onClick={exportNow}
            loading={busy === 'export'}
            data-testid="report-export"
          >
            {t('report.export')}
          </Button>
          <Button
            variant="default"
            leftSection={<IconEye size={16} />}
            onClick={showPreview}
            loading={busy === 'preview'}
            data-testid="report-preview"
          >
            {t('report.preview')}
          </Button>
        </Group>
        {saved && (
          <Text size="sm" c="teal" mt="xs" data-testid="report-saved">
            {t('report.saved', { file: saved })}
          </Text>
        )}
        {error && (
          <Alert color="red" mt="sm" data-testid="report-error">
            {error}
          </Alert>
        )}
      </Paper>
      {preview !== null && (
        <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
          {/* sandbox="" with no allowances: the report has no scripts, and none could run here either. */}
          <iframe
            title={t('report.preview')}
            sandbox=""
            srcDoc={preview}
            style={{ width: '100%', height: 640, border: 0, background: 'white' }}
            data-testid="report-frame"
          />
        </Paper>
      )}
    </Stack>
  )
}
