/** Placeholder: replaced by the requirements feature's page. */
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';

export default function RequirementListPage() {
  const { t } = useTranslation('requirements');
  return <PageHeader title={t('title')} />;
}
