/** Small pieces of the meeting pages: the parties as select options. */
import { useAllParties } from '../../api/meetings';
import { usePartyOptions as useOptionsOf } from '../../ui/party-options';

/** Every party as select options, named in the reader's language, sorted. */
export function usePartyOptions(enabled = true) {
  return useOptionsOf(useAllParties(enabled).data);
}
