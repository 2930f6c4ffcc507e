/** Placeholder: replaced by the analysis feature's page. */
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';

export default function AnalysisPage() {
  const { t } = useTranslation('analysis');
  return <PageHeader title={t('title')} />;
}
