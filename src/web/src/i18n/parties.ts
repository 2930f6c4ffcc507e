/**
 * Names of parties (nations by ISO 3166 alpha-3, NATO bodies by their id) in the reader's
 * language, from the browser's own CLDR data (`Intl.DisplayNames`), so that even the public
 * page — which may not read the party list — names every donor in French and Ukrainian too.
 * `Intl.DisplayNames` takes alpha-2 region codes: `ALPHA2` maps the ledger's nations (a test
 * checks it covers every nation of the reference data). NATO bodies keep their id (an acronym
 * used as a name in every language).
 */

/** ISO 3166 alpha-3 → alpha-2 for the nations of the reference data. */
export const ALPHA2: Readonly<Record<string, string>> = {
  ALB: 'AL',
  AUS: 'AU',
  AUT: 'AT',
  BEL: 'BE',
  BGR: 'BG',
  CAN: 'CA',
  CHE: 'CH',
  CZE: 'CZ',
  DEU: 'DE',
  DNK: 'DK',
  ESP: 'ES',
  EST: 'EE',
  FIN: 'FI',
  FRA: 'FR',
  GBR: 'GB',
  GRC: 'GR',
  HRV: 'HR',
  HUN: 'HU',
  IRL: 'IE',
  ISL: 'IS',
  ITA: 'IT',
  JPN: 'JP',
  KOR: 'KR',
  LTU: 'LT',
  LUX: 'LU',
  LVA: 'LV',
  MKD: 'MK',
  MNE: 'ME',
  NLD: 'NL',
  NOR: 'NO',
  NZL: 'NZ',
  POL: 'PL',
  PRT: 'PT',
  ROU: 'RO',
  SVK: 'SK',
  SVN: 'SI',
  SWE: 'SE',
  TUR: 'TR',
  UKR: 'UA',
  USA: 'US',
};

const cache = new Map<string, Intl.DisplayNames>();

function regionNames(locale: string): Intl.DisplayNames {
  let names = cache.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    cache.set(locale, names);
  }
  return names;
}

/** The party's name in `locale` (an Intl locale such as `fr-FR`), else its id. */
export function partyName(locale: string, partyId: string): string {
  const alpha2 = ALPHA2[partyId];
  if (!alpha2) return partyId;
  return regionNames(locale).of(alpha2) ?? partyId;
}
