/** Small pieces of the meeting pages: party options, a date check, the confirmation. */
import { notifications } from '@mantine/notifications';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAllParties } from '../../api/meetings';
import { useFormat } from '../../i18n/format';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDay(text: string): boolean {
  return ISO_DAY.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

export function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Every party as select options, named in the reader's language, sorted. */
export function usePartyOptions(enabled = true) {
  const format = useFormat();
  const parties = useAllParties(enabled);
  return useMemo(
    () =>
      (parties.data ?? [])
        .map((party) => ({ value: party.id, label: party.names[format.language] }))
        .sort((a, b) => a.label.localeCompare(b.label, format.locale)),
    [parties.data, format.language, format.locale],
  );
}

export function useConfirm() {
  const { t } = useTranslation('meetings');
  return useCallback(
    (message: string) => {
      notifications.show({
        message,
        color: 'green',
        withBorder: true,
        closeButtonProps: { 'aria-label': t('notice.close') },
      });
    },
    [t],
  );
}
