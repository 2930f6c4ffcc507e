/**
 * The analyses of `/analysis/:analysis`, in the order the page's navigation lists them: each
 * with its URL name and the export dataset(s) its download buttons offer
 * (`GET /api/v1/exports/<dataset>`). The titles and descriptions are in `analysis.json` under
 * `analyses.<name>`.
 */
export const ANALYSES = [
  { name: 'funnel', datasets: ['funnel'] },
  { name: 'burden-sharing', datasets: ['burden-sharing'] },
  { name: 'coverage', datasets: ['coverage'] },
  { name: 'pace', datasets: ['pace'] },
  { name: 'lead-times', datasets: ['lead-times', 'stalled-packages'] },
  { name: 'context', datasets: ['context'] },
] as const;

export type AnalysisName = (typeof ANALYSES)[number]['name'];
export type ExportDataset = (typeof ANALYSES)[number]['datasets'][number];

export function isAnalysisName(value: string | undefined): value is AnalysisName {
  return ANALYSES.some((analysis) => analysis.name === value);
}
