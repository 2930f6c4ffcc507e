/**
 * The sign-in page (`/sign-in?returnTo=…&reason=…`): email and password, checked as one types;
 * the server's refusal shown against the right field or above the form (sign-in-form.ts); a
 * button for the organisation's identity provider when the server has one (OpenID Connect),
 * named after it when the server knows its name. Signed in, the browser goes back to `returnTo`
 * (a path of this app) or the start page — through the provider too: the button hands
 * `returnTo` to the server, which comes back to it. A sign-in the provider's side refused comes
 * back here with `oidcError=<reason>`, told as what to do.
 */
import {
  Alert,
  Anchor,
  Button,
  Card,
  Center,
  Divider,
  PasswordInput,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAuthProviders, useLogin } from '../../api/auth';
import { markSignedIn, safeReturnTo } from '../../app/session';
import { useFormat } from '../../i18n/format';
import { PageHeader } from '../../ui/PageHeader';
import {
  oidcRefusalOf,
  refusalOf,
  validateSignIn,
  type FieldErrors,
  type SignInField,
  type SignInValues,
} from './sign-in-form';

export default function SignInPage() {
  const { t } = useTranslation(['auth', 'common']);
  const format = useFormat();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const login = useLogin();
  const providers = useAuthProviders();
  const [values, setValues] = useState<SignInValues>({ email: '', password: '' });
  const [touched, setTouched] = useState<Partial<Record<SignInField, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | undefined>();
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const reason = search.get('reason');
  const oidcRefusal = oidcRefusalOf(search.get('oidcError'));
  const returnTo = safeReturnTo(search.get('returnTo')) ?? '/';
  const localErrors = validateSignIn(values, t);
  const errorOf = (field: SignInField) =>
    serverErrors[field] ?? (submitted || touched[field] ? localErrors[field] : undefined);

  const change = (field: SignInField, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    // A new value answers the server's objection to the old one.
    setServerErrors((current) => ({ ...current, [field]: undefined }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFormError(undefined);
    setServerErrors({});
    if (localErrors.email) return emailRef.current?.focus();
    if (localErrors.password) return passwordRef.current?.focus();
    login.mutate(
      { email: values.email.trim(), password: values.password },
      {
        onSuccess: () => {
          markSignedIn(true);
          void navigate(returnTo, { replace: true });
        },
        onError: (error) => {
          const refusal = refusalOf(error, t, (seconds) =>
            format.time(new Date(Date.now() + seconds * 1000)),
          );
          setServerErrors(refusal.fields);
          setFormError(refusal.form);
          if (refusal.fields.email) emailRef.current?.focus();
          else if (refusal.fields.password) passwordRef.current?.focus();
        },
      },
    );
  };

  const oidc = providers.data?.oidc;
  const oidcHref =
    oidc?.loginUrl && returnTo !== '/'
      ? `${oidc.loginUrl}?${new URLSearchParams({ returnTo }).toString()}`
      : oidc?.loginUrl;
  return (
    <Center>
      <Stack w="100%" maw={440} gap="md">
        <PageHeader title={t('title')} description={t('intro')} />
        {reason === 'expired' ? (
          <Alert color="yellow" variant="light" role="status" data-testid="session-expired">
            {t('expired')}
          </Alert>
        ) : reason === 'signedOut' ? (
          <Alert color="blue" variant="light" role="status">
            {t('signedOut')}
          </Alert>
        ) : null}
        {oidcRefusal ? (
          <Alert color="red" variant="light" role="alert" data-testid="oidc-error">
            {t(`oidcErrors.${oidcRefusal}`)}
          </Alert>
        ) : null}
        <Card withBorder padding="lg" radius="md">
          <form
            onSubmit={submit}
            noValidate
            aria-describedby={formError ? 'sign-in-error' : undefined}
          >
            <Stack gap="md">
              {formError ? (
                <Alert
                  color="red"
                  variant="light"
                  role="alert"
                  id="sign-in-error"
                  data-testid="sign-in-error"
                >
                  {formError}
                </Alert>
              ) : null}
              <TextInput
                ref={emailRef}
                label={t('email')}
                type="email"
                name="email"
                autoComplete="username"
                required
                value={values.email}
                onChange={(event) => change('email', event.currentTarget.value)}
                onBlur={() => setTouched((current) => ({ ...current, email: true }))}
                error={errorOf('email')}
                aria-invalid={errorOf('email') !== undefined}
                data-testid="email"
              />
              <PasswordInput
                ref={passwordRef}
                label={t('password')}
                name="password"
                autoComplete="current-password"
                required
                value={values.password}
                onChange={(event) => change('password', event.currentTarget.value)}
                onBlur={() => setTouched((current) => ({ ...current, password: true }))}
                error={errorOf('password')}
                aria-invalid={errorOf('password') !== undefined}
                visibilityToggleButtonProps={{ 'aria-label': t('showPassword') }}
                data-testid="password"
              />
              <Button type="submit" loading={login.isPending} data-testid="sign-in">
                {t('submit')}
              </Button>
              {oidc?.enabled && oidcHref ? (
                <>
                  <Divider label={t('or')} labelPosition="center" />
                  <Button
                    component="a"
                    href={oidcHref}
                    variant="default"
                    data-testid="sign-in-oidc"
                  >
                    {oidc.name ? t('oidcNamed', { name: oidc.name }) : t('oidc')}
                  </Button>
                </>
              ) : null}
            </Stack>
          </form>
        </Card>
        <Text size="sm" ta="center">
          <Anchor component={Link} to="/public">
            {t('publicLink')}
          </Anchor>
        </Text>
      </Stack>
    </Center>
  );
}
