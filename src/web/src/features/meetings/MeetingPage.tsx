/**
 * One meeting (`/meetings/:id`): its facts; its announcements and the contributions they became
 * (a coordinator adds announcements and links them); the follow-up on the chosen basis
 * (AnalysisControls: currency, rates, as-of), every figure opening its records; and the briefing
 * as a PDF in English or French on the same basis (a plain download link: the session cookie
 * goes with it).
 */
import { Anchor, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useAnalysisOptions } from '../../api/analysis-options';
import {
  briefingHref,
  useMeeting,
  useMeetingFollowUp,
  type MeetingDetail,
} from '../../api/meetings';
import { useFormat } from '../../i18n/format';
import { AnalysisControls } from '../../ui/AnalysisControls';
import { BasisNote } from '../../ui/BasisNote';
import { PageHeader } from '../../ui/PageHeader';
import { QueryState } from '../../ui/QueryState';
import { AnnouncementsSection } from './AnnouncementsSection';
import { FollowUpSection } from './FollowUpSection';

export default function MeetingPage() {
  const { t } = useTranslation(['meetings', 'common']);
  const { id } = useParams();
  const meeting = useMeeting(id);
  const [options] = useAnalysisOptions();
  const followUp = useMeetingFollowUp(id, options);
  const m = meeting.data;
  const title = m ? t('heading', { kind: t(`kind.${m.kind}`), number: m.number }) : t('title');
  return (
    <Stack gap="lg">
      <PageHeader
        title={title}
        description={
          m ? (
            <Group gap="xs" component="span">
              <span>{m.title ?? ''}</span>
              {m.synthetic ? (
                <Badge variant="default" radius="sm">
                  {t('common:synthetic')}
                </Badge>
              ) : null}
            </Group>
          ) : undefined
        }
      />
      <QueryState query={meeting} height={200}>
        {(data) => (
          <Stack gap="lg">
            <Facts meeting={data} />
            <AnnouncementsSection meeting={data} />
          </Stack>
        )}
      </QueryState>
      <Card withBorder padding="md" radius="md">
        <Stack gap="sm">
          <AnalysisControls />
          {followUp.data ? <BasisNote basis={followUp.data.basis} /> : null}
        </Stack>
      </Card>
      <QueryState query={followUp} height={260}>
        {(data) => <FollowUpSection followUp={data} />}
      </QueryState>
      {id ? <Briefing id={id} /> : null}
    </Stack>
  );
}

function Facts({ meeting: m }: { meeting: MeetingDetail }) {
  const { t } = useTranslation('meetings');
  const format = useFormat();
  const headingId = useId();
  const none = t('facts.none');
  const rows: [string, ReactNode][] = [
    [t('facts.heldOn'), format.day(m.heldOn)],
    [t('facts.place'), m.place],
    [t('facts.chairs'), format.list(m.chairs.map(format.party))],
    [
      t('facts.participants'),
      m.participants.length > 0 ? format.list(m.participants.map(format.party)) : none,
    ],
    [t('facts.summary'), m.summary ?? none],
    [t('facts.source'), m.sourceNote ?? none],
  ];
  return (
    <Card
      withBorder
      padding="md"
      radius="md"
      component="section"
      aria-labelledby={headingId}
      data-testid="meeting-facts"
    >
      <Stack gap="sm">
        <Title order={2} size="h4" id={headingId}>
          {t('facts.title')}
        </Title>
        <Table verticalSpacing={4} fz="sm">
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th scope="row" w="30%" fw={600}>
                  {label}
                </Table.Th>
                <Table.Td>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  );
}

function Briefing({ id }: { id: string }) {
  const { t, i18n } = useTranslation('meetings');
  const [options] = useAnalysisOptions();
  const headingId = useId();
  return (
    <Card
      withBorder
      padding="md"
      radius="md"
      component="section"
      aria-labelledby={headingId}
      data-testid="briefing"
    >
      <Stack gap="sm">
        <Title order={2} size="h4" id={headingId}>
          {t('briefing.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('briefing.description', { format: 'PDF' })}
        </Text>
        {i18n.language === 'uk' ? <Text size="sm">{t('briefing.ukrainianNote')}</Text> : null}
        <Group gap="md">
          <Anchor
            href={briefingHref(id, 'en', options)}
            download
            data-testid="briefing-en"
            hrefLang="en"
          >
            {t('briefing.english')}
          </Anchor>
          <Anchor
            href={briefingHref(id, 'fr', options)}
            download
            data-testid="briefing-fr"
            hrefLang="fr"
          >
            {t('briefing.french')}
          </Anchor>
        </Group>
      </Stack>
    </Card>
  );
}
