/**
 * The translations of the app: one namespace per feature, one JSON file per namespace and
 * language (`locales/<language>/<namespace>.json`). English is the reference: its files give
 * the keys their types (`t('dashboard:tiles.committed')` is checked by the compiler), and a test
 * checks that French and Ukrainian have exactly the same keys (plural forms per language).
 *
 * To add a feature's namespace: write `locales/{en,fr,uk}/<feature>.json`, import the three
 * here and add them to `RESOURCES` under the same name.
 */
import enAuth from './locales/en/auth.json';
import enCommon from './locales/en/common.json';
import enDashboard from './locales/en/dashboard.json';
import enDrill from './locales/en/drill.json';
import enPublic from './locales/en/public.json';
import frAuth from './locales/fr/auth.json';
import frCommon from './locales/fr/common.json';
import frDashboard from './locales/fr/dashboard.json';
import frDrill from './locales/fr/drill.json';
import frPublic from './locales/fr/public.json';
import ukAuth from './locales/uk/auth.json';
import ukCommon from './locales/uk/common.json';
import ukDashboard from './locales/uk/dashboard.json';
import ukDrill from './locales/uk/drill.json';
import ukPublic from './locales/uk/public.json';
import enErrors from './locales/en/errors.json';
import frErrors from './locales/fr/errors.json';
import ukErrors from './locales/uk/errors.json';
import enRequirements from './locales/en/requirements.json';
import enPackages from './locales/en/packages.json';
import enContributions from './locales/en/contributions.json';
import enMeetings from './locales/en/meetings.json';
import enAnalysis from './locales/en/analysis.json';
import enAudit from './locales/en/audit.json';
import enAdmin from './locales/en/admin.json';
import frRequirements from './locales/fr/requirements.json';
import frPackages from './locales/fr/packages.json';
import frContributions from './locales/fr/contributions.json';
import frMeetings from './locales/fr/meetings.json';
import frAnalysis from './locales/fr/analysis.json';
import frAudit from './locales/fr/audit.json';
import frAdmin from './locales/fr/admin.json';
import ukRequirements from './locales/uk/requirements.json';
import ukPackages from './locales/uk/packages.json';
import ukContributions from './locales/uk/contributions.json';
import ukMeetings from './locales/uk/meetings.json';
import ukAnalysis from './locales/uk/analysis.json';
import ukAudit from './locales/uk/audit.json';
import ukAdmin from './locales/uk/admin.json';
import enPlanner from './locales/en/planner.json';
import frPlanner from './locales/fr/planner.json';
import ukPlanner from './locales/uk/planner.json';

/** The languages of the app, in the order the switcher lists them. */
export const LANGUAGES = ['en', 'fr', 'uk'] as const;
export type Language = (typeof LANGUAGES)[number];

/** English: the reference every other language must match key for key. */
export const EN = {
  common: enCommon,
  auth: enAuth,
  dashboard: enDashboard,
  drill: enDrill,
  public: enPublic,
  errors: enErrors,
  requirements: enRequirements,
  packages: enPackages,
  contributions: enContributions,
  meetings: enMeetings,
  analysis: enAnalysis,
  audit: enAudit,
  admin: enAdmin,
  planner: enPlanner,
};

export type Namespace = keyof typeof EN;
export type Resources = Record<Namespace, Record<string, unknown>>;

export const RESOURCES: Record<Language, Resources> = {
  en: EN,
  fr: {
    common: frCommon,
    auth: frAuth,
    dashboard: frDashboard,
    drill: frDrill,
    public: frPublic,
    errors: frErrors,
    requirements: frRequirements,
    packages: frPackages,
    contributions: frContributions,
    meetings: frMeetings,
    analysis: frAnalysis,
    audit: frAudit,
    admin: frAdmin,
    planner: frPlanner,
  },
  uk: {
    common: ukCommon,
    auth: ukAuth,
    dashboard: ukDashboard,
    drill: ukDrill,
    public: ukPublic,
    errors: ukErrors,
    requirements: ukRequirements,
    packages: ukPackages,
    contributions: ukContributions,
    meetings: ukMeetings,
    analysis: ukAnalysis,
    audit: ukAudit,
    admin: ukAdmin,
    planner: ukPlanner,
  },
};

export const NAMESPACES = Object.keys(EN) as Namespace[];
