/** Placeholder: replaced by the contributions feature's page. */
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';

export default function ContributionsPage() {
  const { t } = useTranslation('contributions');
  return <PageHeader title={t('title')} />;
}
