/**
 * The state of the audit chain (and of the ledger, for those who may verify it) on top of the
 * audit page: verified, with the number of events, the head hash (shortened, with a copy
 * button) and when it was checked; or broken, naming the first broken event. "Verify again"
 * runs the check anew.
 */
import { Alert, Button, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useRecordsVerification, type RecordsVerification } from '../../api/audit';
import { useFormat } from '../../i18n/format';
import { QueryState } from '../../ui/QueryState';
import { shortHash } from './entity-link';

export function VerificationPanel() {
  const { t } = useTranslation('audit');
  const verification = useRecordsVerification();
  return (
    <Stack
      gap="xs"
      component="section"
      aria-labelledby="verification-heading"
      data-testid="audit-verification"
    >
      <Group justify="space-between" align="center">
        <Text component="h2" fw={700} size="lg" id="verification-heading" m={0}>
          {t('verification.title')}
        </Text>
        <Button
          variant="default"
          size="xs"
          onClick={() => void verification.refetch()}
          loading={verification.isFetching}
          data-testid="verify-again"
        >
          {t('verification.again')}
        </Button>
      </Group>
      <QueryState query={verification} height={80}>
        {(data) => <VerificationResult result={data} />}
      </QueryState>
    </Stack>
  );
}

function VerificationResult({ result }: { result: RecordsVerification }) {
  const { t } = useTranslation('audit');
  const format = useFormat();
  const { audit, ledger } = result;
  const first = audit.problems[0];
  return (
    <Stack gap="xs">
      {audit.ok ? (
        <Alert color="green" variant="light" data-testid="chain-ok">
          <Text size="sm" fw={700}>
            {t('verification.chainOk')}
          </Text>
          <Text size="sm">
            {t('verification.events', {
              count: audit.events,
              formatted: format.integer(audit.events),
            })}
          </Text>
        </Alert>
      ) : (
        <Alert color="red" variant="light" role="alert" data-testid="chain-broken">
          <Stack gap={4}>
            <Text size="sm" fw={700}>
              {t('verification.chainBroken')}
            </Text>
            {first ? (
              <Text size="sm" fw={600}>
                {t('verification.firstBroken', {
                  id: first.id,
                  problem: t(`problems.${first.problem}`),
                })}
              </Text>
            ) : null}
            <Text size="sm">
              {t('verification.problems', {
                count: audit.problemCount,
                events: format.integer(audit.events),
              })}
            </Text>
            {first ? (
              <Text size="xs" c="dimmed">
                {first.message}
              </Text>
            ) : null}
          </Stack>
        </Alert>
      )}
      <Group gap="xs" wrap="wrap">
        <Text size="sm">{t('verification.head', { id: audit.headId })}</Text>
        <Text size="sm" ff="monospace" title={audit.headHash} data-testid="head-hash">
          {shortHash(audit.headHash)}
        </Text>
        <CopyButton value={audit.headHash}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('copied') : t('copyHash')} withArrow>
              <Button size="compact-xs" variant="subtle" onClick={copy}>
                {copied ? t('copied') : t('copy')}
              </Button>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
      {ledger ? (
        <Text size="sm" data-testid="ledger-status" c={ledger.ok ? undefined : 'red'}>
          {ledger.ok
            ? t('verification.ledgerOk', { count: ledger.ledgers })
            : t('verification.ledgerBroken', {
                mismatches: ledger.mismatches,
                inconsistencies: ledger.inconsistencies,
                ledgers: ledger.unbalancedLedgers.join(', ') || '—',
              })}
        </Text>
      ) : null}
      <Text size="xs" c="dimmed" data-testid="checked-at">
        {t('verification.checkedAt', { at: format.dateTime(result.checkedAt) })}
      </Text>
    </Stack>
  );
}
