/**
 * The analyses (`/analysis/:analysis`): funnel, burden sharing, coverage, pace, lead times and
 * stalled packages, Kiel context — each at its own shareable URL, with the basis controls in
 * the URL, a chart and a full table, every figure opening its records, and its download as CSV
 * or XLSX on the same basis. Without a name (a route `/analysis`), the list of the analyses; an
 * unknown name says so and lists them.
 */
import { useParams } from 'react-router';
import { AnalysisIndex } from './AnalysisIndex';
import { BurdenAnalysis } from './BurdenAnalysis';
import { ContextAnalysis } from './ContextAnalysis';
import { CoverageAnalysis } from './CoverageAnalysis';
import { FunnelAnalysis } from './FunnelAnalysis';
import { LeadTimesAnalysis } from './LeadTimesAnalysis';
import { PaceAnalysis } from './PaceAnalysis';
import { isAnalysisName, type AnalysisName } from './analyses';

const PAGES: Record<AnalysisName, () => React.JSX.Element> = {
  funnel: FunnelAnalysis,
  'burden-sharing': BurdenAnalysis,
  coverage: CoverageAnalysis,
  pace: PaceAnalysis,
  'lead-times': LeadTimesAnalysis,
  context: ContextAnalysis,
};

export default function AnalysisPage() {
  const { analysis } = useParams();
  if (analysis === undefined || analysis === '') return <AnalysisIndex />;
  if (!isAnalysisName(analysis)) return <AnalysisIndex unknown={analysis} />;
  const Page = PAGES[analysis];
  return <Page key={analysis} />;
}
