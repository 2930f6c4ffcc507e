/**
 * A money field: the amount typed in the reader's language (`1,234.56` / `1 234,56`), checked
 * as one types, and handed to the form as exact minor units (decimal integer text) — never a
 * float. The currency shows beside the amount; a server error naming this field shows under it.
 */
import { TextInput, type TextInputProps } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';
import { minorToInputText, minorUnitOf, parseMoneyInput } from '../i18n/money';

export interface MoneyInputProps extends Omit<
  TextInputProps,
  'value' | 'onChange' | 'error' | 'defaultValue'
> {
  currency: string;
  /** Minor units, or `null` while the text is empty or not an amount. */
  valueMinor: string | null;
  onChangeMinor: (minor: string | null) => void;
  allowZero?: boolean;
  /** An error from elsewhere (the server, a cross-field rule); shown when the text is valid. */
  error?: string | undefined;
}

export function MoneyInput({
  currency,
  valueMinor,
  onChangeMinor,
  allowZero = false,
  error,
  ...rest
}: MoneyInputProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const [text, setText] = useState(() =>
    valueMinor === null ? '' : minorToInputText(format.language, valueMinor, currency),
  );
  const [touched, setTouched] = useState(false);
  const parsed = parseMoneyInput(format.language, text, currency, { allowZero });
  const problem = 'problem' in parsed ? parsed.problem : undefined;
  const ownError =
    problem && (touched || text !== '')
      ? t(`money.${problem}`, { count: minorUnitOf(currency), decimals: minorUnitOf(currency) })
      : undefined;
  return (
    <TextInput
      {...rest}
      inputMode="decimal"
      autoComplete="off"
      value={text}
      rightSection={<span aria-hidden="true">{currency}</span>}
      rightSectionWidth={48}
      error={ownError ?? error}
      onBlur={(event) => {
        setTouched(true);
        rest.onBlur?.(event);
      }}
      onChange={(event) => {
        const next = event.currentTarget.value;
        setText(next);
        const result = parseMoneyInput(format.language, next, currency, { allowZero });
        onChangeMinor('minor' in result ? result.minor : null);
      }}
    />
  );
}
