/**
 * A coordinator records a meeting: number, kind, date, place, chairs (at least one party),
 * participants, title and summary. Checked as one types; a refusal of the server (a number
 * already used, an unknown party) shows against its field. On success the meeting's page opens.
 */
import { Button, Group, MultiSelect, Select, TextInput, Textarea } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { MEETING_KINDS, useCreateMeeting, type MeetingKind } from '../../api/meetings';
import { fieldErrorOf, useFormError } from '../../ui/form-errors';
import { usePartyOptions } from './parts';
import { isIsoDay, todayIso } from '../../ui/days';
import { useNotify } from '../../ui/notify';
import { FormCard } from '../../ui/FormCard';

const FIELDS = ['number', 'kind', 'heldOn', 'place', 'chairs', 'participants', 'title', 'summary'];

export function NewMeetingForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('meetings');
  const navigate = useNavigate();
  const notify = useNotify();
  const formError = useFormError();
  const create = useCreateMeeting();
  const parties = usePartyOptions();
  const key = useRef(crypto.randomUUID());
  const [number, setNumber] = useState('');
  const [kind, setKind] = useState<MeetingKind>('udcg');
  const [heldOn, setHeldOn] = useState(todayIso());
  const [place, setPlace] = useState('');
  const [chairs, setChairs] = useState<string[]>([]);
  const [participants, setParticipants] = useState<string[]>([]);
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [touched, setTouched] = useState(false);

  const numberValue = /^[1-9][0-9]{0,5}$/.test(number) ? Number(number) : NaN;
  const numberOk = numberValue >= 1 && numberValue <= 100_000;
  const errors = {
    number:
      number !== '' && !numberOk
        ? t('create.badNumber')
        : touched && number === ''
          ? t('create.required')
          : undefined,
    heldOn: isIsoDay(heldOn) ? undefined : t('create.badDate'),
    place: touched && place.trim() === '' ? t('create.required') : undefined,
    chairs: touched && chairs.length === 0 ? t('create.chairsHint') : undefined,
  };
  const valid = numberOk && isIsoDay(heldOn) && place.trim() !== '' && chairs.length > 0;
  const aboveForm = formError(create.error, FIELDS);

  return (
    <FormCard
      title={t('create.title')}
      headingOrder={2}
      testId="new-meeting-form"
      error={aboveForm}
      onSubmit={() => {
        setTouched(true);
        if (!valid) return;
        create.mutate(
          {
            key: key.current,
            body: {
              number: numberValue,
              kind,
              heldOn,
              place: place.trim(),
              chairs,
              participants,
              ...(title.trim() ? { title: title.trim() } : {}),
              ...(summary.trim() ? { summary: summary.trim() } : {}),
            },
          },
          {
            onSuccess: (created) => {
              notify.success(t('create.done', { number: created.number }));
              void navigate(`/meetings/${created.id}`);
            },
            onError: () => {
              key.current = crypto.randomUUID();
            },
          },
        );
      }}
    >
      <Group align="flex-start" wrap="wrap">
        <TextInput
          label={t('create.number')}
          required
          inputMode="numeric"
          value={number}
          onChange={(event) => setNumber(event.currentTarget.value.trim())}
          error={errors.number ?? fieldErrorOf(create.error, 'number')}
          w={120}
        />
        <Select
          label={t('create.kind')}
          required
          allowDeselect={false}
          data={MEETING_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          value={kind}
          onChange={(value) => value && setKind(value as MeetingKind)}
          w={220}
        />
        <TextInput
          type="date"
          label={t('create.heldOn')}
          required
          value={heldOn}
          onChange={(event) => setHeldOn(event.currentTarget.value)}
          error={errors.heldOn ?? fieldErrorOf(create.error, 'heldOn')}
          w={170}
        />
        <TextInput
          label={t('create.place')}
          required
          maxLength={200}
          value={place}
          onChange={(event) => setPlace(event.currentTarget.value)}
          error={errors.place ?? fieldErrorOf(create.error, 'place')}
          style={{ flex: 1, minWidth: 200 }}
        />
      </Group>
      <Group align="flex-start" wrap="wrap">
        <MultiSelect
          label={t('create.chairs')}
          description={t('create.chairsHint')}
          required
          searchable
          data={parties}
          value={chairs}
          onChange={setChairs}
          error={errors.chairs ?? fieldErrorOf(create.error, 'chairs')}
          style={{ flex: 1, minWidth: 240 }}
        />
        <MultiSelect
          label={t('create.participants')}
          searchable
          data={parties}
          value={participants}
          onChange={setParticipants}
          error={fieldErrorOf(create.error, 'participants')}
          style={{ flex: 1, minWidth: 240 }}
        />
      </Group>
      <TextInput
        label={t('create.meetingTitle')}
        maxLength={200}
        value={title}
        onChange={(event) => setTitle(event.currentTarget.value)}
        error={fieldErrorOf(create.error, 'title')}
      />
      <Textarea
        label={t('create.summary')}
        autosize
        minRows={2}
        maxLength={5000}
        value={summary}
        onChange={(event) => setSummary(event.currentTarget.value)}
        error={fieldErrorOf(create.error, 'summary')}
      />
      <Group>
        <Button
          type="submit"
          loading={create.isPending}
          disabled={create.isPending}
          data-testid="submit-meeting"
        >
          {t('create.submit')}
        </Button>
        <Button variant="default" onClick={onClose}>
          {t('create.close')}
        </Button>
      </Group>
    </FormCard>
  );
}
