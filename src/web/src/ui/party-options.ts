/** Parties as select options: named in the reader's language, in its alphabetical order. */
import { useMemo } from 'react';
import type { components } from '../api/schema';
import { useFormat } from '../i18n/format';

type Party = Pick<components['schemas']['Party'], 'id' | 'names'>;

export interface PartyOption {
  value: string;
  label: string;
}

export function usePartyOptions(parties: readonly Party[] | undefined): PartyOption[] {
  const format = useFormat();
  return useMemo(
    () =>
      (parties ?? [])
        .map((party) => ({ value: party.id, label: party.names[format.language] }))
        .sort((a, b) => a.label.localeCompare(b.label, format.locale)),
    [parties, format.language, format.locale],
  );
}
