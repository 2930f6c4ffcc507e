/**
 * A form in its own bordered section: its heading names the section, an optional line says what
 * it does, the server's refusal that names no field stands above the fields (`useFormError`),
 * and submitting runs `onSubmit` without reloading the page (the browser's own checks are off
 * unless asked for: the fields show their errors as the user types).
 */
import { Alert, Paper, Stack, Text, Title, type MantineRadius } from '@mantine/core';
import { useId, type ReactNode } from 'react';

export function FormCard({
  title,
  headingOrder = 3,
  description,
  testId,
  error,
  onSubmit,
  radius,
  titleSize = 'h4',
  nativeValidation = false,
  children,
}: {
  title: string;
  /** 2 for a form of the page itself, 3 for one inside a section. */
  headingOrder?: 2 | 3;
  description?: ReactNode;
  /** The form's test id. */
  testId: string;
  /** The message above the fields, if any. */
  error: string | undefined;
  onSubmit: () => void;
  radius?: MantineRadius;
  titleSize?: 'h4' | 'h5';
  /** Leave the browser's own checks of required fields on (off by default). */
  nativeValidation?: boolean;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <Paper withBorder p="md" radius={radius} component="section" aria-labelledby={headingId}>
      <form
        noValidate={!nativeValidation}
        data-testid={testId}
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <Stack gap="sm">
          <Title order={headingOrder} size={titleSize} id={headingId}>
            {title}
          </Title>
          {description ? (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          ) : null}
          {error ? (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          ) : null}
          {children}
        </Stack>
      </form>
    </Paper>
  );
}
