/**
 * The next meeting (the soonest held today or later), else the latest one held: its kind and
 * number, day, place, chairs and title.
 */
import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useNextMeeting } from '../../api/meetings';
import { useFormat } from '../../i18n/format';
import { QueryState } from '../../ui/QueryState';

export function NextMeetingCard() {
  const { t } = useTranslation(['dashboard', 'common']);
  const format = useFormat();
  const next = useNextMeeting();
  const headingId = useId();
  const title = next.data?.when === 'latest' ? t('meeting.latestTitle') : t('meeting.title');
  return (
    <Card
      withBorder
      padding="md"
      radius="md"
      h="100%"
      component="section"
      aria-labelledby={headingId}
      data-testid="meeting-card"
    >
      <Stack gap="sm">
        <Title order={2} size="h4" id={headingId}>
          {title}
        </Title>
        <QueryState query={next} height={80}>
          {({ meeting }) =>
            meeting === null ? (
              <Text size="sm">{t('meeting.none')}</Text>
            ) : (
              <Stack gap={6}>
                <Group gap="xs">
                  <Text fw={700}>
                    {t(`meeting.kind.${meeting.kind}`, { number: meeting.number })}
                  </Text>
                  {meeting.synthetic ? (
                    <Badge variant="default" radius="sm">
                      {t('common:synthetic')}
                    </Badge>
                  ) : null}
                </Group>
                <Text size="sm">
                  {t('meeting.when', { date: format.day(meeting.heldOn), place: meeting.place })}
                </Text>
                {meeting.chairs.length > 0 ? (
                  <Text size="sm">
                    {t('meeting.chairs', { chairs: format.list(meeting.chairs.map(format.party)) })}
                  </Text>
                ) : null}
                {meeting.title ? (
                  <Text size="sm" c="dimmed">
                    {meeting.title}
                  </Text>
                ) : null}
              </Stack>
            )
          }
        </QueryState>
      </Stack>
    </Card>
  );
}
