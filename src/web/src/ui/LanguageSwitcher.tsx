/**
 * The language switcher of every page's header: a native select (keyboard and screen readers
 * handle it as they know), each language named in itself. The choice is remembered and sets
 * `<html lang>` (i18n/index.ts).
 */
import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, currentLanguage, setLanguage, type Language } from '../i18n';

/** Each language in its own words (never translated). */
const NATIVE_NAMES: Record<Language, string> = {
  en: 'English',
  fr: 'Français',
  uk: 'Українська',
};

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const value = (LANGUAGES as readonly string[]).includes(i18n.language)
    ? i18n.language
    : currentLanguage();
  return (
    <NativeSelect
      aria-label={t('language.label')}
      value={value}
      onChange={(event) => void setLanguage(event.currentTarget.value as Language)}
      data={LANGUAGES.map((language) => ({ value: language, label: NATIVE_NAMES[language] }))}
      size="sm"
      w={140}
      data-testid="language-switcher"
    />
  );
}
