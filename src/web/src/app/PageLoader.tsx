/** A centred loader while a page's code or the session is being fetched. */
import { Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center mih="60vh">
      <Loader aria-label={t('state.loading')} />
    </Center>
  );
}
