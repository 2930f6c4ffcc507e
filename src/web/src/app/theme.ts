/**
 * The Mantine theme: readable first. Primary buttons in a dark blue (white text at 4.9:1),
 * dimmed text darker than Mantine's default (7:1 instead of 3.3:1), error text in a dark red
 * (5.9:1), system fonts (nothing fetched), light scheme only.
 */
import { createTheme, type CSSVariablesResolver } from '@mantine/core';
import { CHART_FONT } from '../ui/charts/echarts';

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 6 },
  defaultRadius: 'sm',
  fontFamily: CHART_FONT,
  headings: { fontWeight: '650' },
  respectReducedMotion: true,
});

export const cssVariablesResolver: CSSVariablesResolver = (current) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': current.colors.gray[7] ?? '#495057',
    '--mantine-color-placeholder': current.colors.gray[7] ?? '#495057',
    // Error text and borders: red 9 (5.9:1 on white) instead of red 6 (3.3:1).
    '--mantine-color-error': current.colors.red[9] ?? '#c92a2a',
  },
  dark: {},
});
