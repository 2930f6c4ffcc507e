/** A party chosen among the reference data's, named in the reader's language. */
import { Select, type SelectProps } from '@mantine/core';
import { useParties } from '../../api/admin';
import { useFormat } from '../../i18n/format';

export function PartySelect(props: Omit<SelectProps, 'data'>) {
  const parties = useParties();
  const format = useFormat();
  const data = (parties.data?.items ?? [])
    .map((party) => ({
      value: party.id,
      label: `${party.names[format.language] || format.party(party.id)} (${party.id})`,
    }))
    .sort((a, b) => a.label.localeCompare(b.label, format.locale));
  return <Select searchable {...props} data={data} />;
}
