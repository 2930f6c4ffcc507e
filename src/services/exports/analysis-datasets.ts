/**
 * The analysis datasets: each analysis computed by its own service (`getFunnel`, …, with its
 * access check, snapshot and redaction) on the export's basis (currency, rate mode, rate date,
 * as of) and turned into a table by the analysis's own table function (`funnelTable`, …), whose
 * meta block states that basis. The same options as the matching `/api/v1/analytics/…` route.
 */
import { parseAmount } from '../../core/money.js';
import {
  burdenSharingTable,
  coverageTable,
  funnelTable,
  getBurdenSharing,
  getCoverage,
  getFunnel,
  getPace,
  paceTable,
} from '../analytics/funding.js';
import { getFollowUp, getKielContext, getLeadTimes } from '../analytics/delivery.js';
import {
  followUpTable,
  kielContextTable,
  leadTimesTable,
  stalledPackagesTable,
} from '../analytics/delivery-tables.js';
import type { DatasetDefinition, ExportFilterName, ExportProducer } from './export-query.js';
import { words, type Words } from './labels.js';

function analysis(
  title: Words,
  filters: readonly ExportFilterName[],
  produce: ExportProducer,
  required?: readonly ExportFilterName[],
): DatasetDefinition {
  return {
    kind: 'analysis',
    title,
    operation: 'analytics.read',
    filters,
    ...(required ? { required } : {}),
    produce,
  };
}

/** Pace amounts are decimal text in the reporting currency (USD and EUR: 2 decimals). */
function paceAmount(text: string | undefined, field: string): bigint | undefined {
  return text === undefined ? undefined : parseAmount(text, 2, { field });
}

/** Every analysis dataset, by the name used in the URL and the CLI. */
export const ANALYSIS_DATASETS: Readonly<Record<string, DatasetDefinition>> = {
  funnel: analysis(words('Funding funnel', 'Entonnoir du financement'), [], async (db, actor, q) =>
    funnelTable(await getFunnel(db, actor, q.analytics), q.lang),
  ),
  'burden-sharing': analysis(
    words('Burden sharing', 'Partage du fardeau'),
    [],
    async (db, actor, q) =>
      burdenSharingTable(await getBurdenSharing(db, actor, q.analytics), q.lang),
  ),
  coverage: analysis(
    words('Coverage by cycle and capability area', 'Couverture par cycle et domaine capacitaire'),
    ['cycleFrom', 'cycleTo'],
    async (db, actor, q) => {
      const { cycleFrom, cycleTo } = q.filters;
      const options = {
        ...q.analytics,
        ...(cycleFrom !== undefined ? { cycleFrom } : {}),
        ...(cycleTo !== undefined ? { cycleTo } : {}),
      };
      return coverageTable(await getCoverage(db, actor, options), q.lang);
    },
  ),
  pace: analysis(
    words('Pace against the target', 'Rythme par rapport à l’objectif'),
    ['targetPerMonth', 'goal'],
    async (db, actor, q) => {
      const target = paceAmount(q.filters.targetPerMonth, 'targetPerMonth');
      const goal = paceAmount(q.filters.goal, 'goal');
      const options = {
        ...q.analytics,
        ...(target !== undefined ? { targetPerMonthMinor: target } : {}),
        ...(goal !== undefined ? { goalMinor: goal } : {}),
      };
      return paceTable(await getPace(db, actor, options), q.lang);
    },
  ),
  'lead-times': analysis(
    words('Lead times per stage', 'Délais par étape'),
    ['stalledAfterDays'],
    async (db, actor, q) =>
      leadTimesTable(
        await getLeadTimes(db, actor, {
          ...q.analytics,
          stalledAfterDays: q.filters.stalledAfterDays,
        }),
        q.lang,
      ),
  ),
  'stalled-packages': analysis(
    words('Stalled packages', 'Paquets bloqués'),
    ['stalledAfterDays'],
    async (db, actor, q) =>
      stalledPackagesTable(
        await getLeadTimes(db, actor, {
          ...q.analytics,
          stalledAfterDays: q.filters.stalledAfterDays,
        }),
        q.lang,
      ),
  ),
  'follow-up': analysis(
    words('Meeting follow-up', 'Suivi de réunion'),
    ['meetingId'],
    async (db, actor, q) =>
      followUpTable(await getFollowUp(db, actor, q.filters.meetingId!, q.analytics), q.lang),
    ['meetingId'],
  ),
  context: analysis(
    words(
      'PURL beside the Kiel Institute Ukraine Support Tracker',
      'La PURL au regard de l’Ukraine Support Tracker (Institut de Kiel)',
    ),
    ['year'],
    async (db, actor, q) =>
      kielContextTable(
        await getKielContext(db, actor, { ...q.analytics, year: q.filters.year }),
        q.lang,
      ),
  ),
};
