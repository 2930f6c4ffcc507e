/** Placeholder: replaced by the admin feature's page. */
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';

export default function AccountPage() {
  const { t } = useTranslation('admin');
  return <PageHeader title={t('title')} />;
}
