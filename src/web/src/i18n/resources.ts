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
  },
  uk: {
    common: ukCommon,
    auth: ukAuth,
    dashboard: ukDashboard,
    drill: ukDrill,
    public: ukPublic,
  },
};

export const NAMESPACES = Object.keys(EN) as Namespace[];
