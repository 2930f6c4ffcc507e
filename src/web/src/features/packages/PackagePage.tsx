/** Placeholder: replaced by the packages feature's page. */
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';

export default function PackagePage() {
  const { t } = useTranslation('packages');
  return <PageHeader title={t('title')} />;
}
