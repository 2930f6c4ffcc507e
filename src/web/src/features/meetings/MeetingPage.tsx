/** Placeholder: replaced by the meetings feature's page. */
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';

export default function MeetingPage() {
  const { t } = useTranslation('meetings');
  return <PageHeader title={t('title')} />;
}
