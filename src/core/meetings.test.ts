import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import {
  checkAnnouncement,
  checkLinkParty,
  checkMeeting,
  checkMeetingChanges,
  followUpStatus,
  totalsByCurrency,
  type LinkedContribution,
} from './meetings.js';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof DomainError ? [error.code, error.details.field] : error;
  }
  return 'no error';
};

const meeting = {
  number: 31,
  kind: 'udcg',
  heldOn: '2025-10-15',
  place: ' Brussels ',
  chairs: ['GBR', 'DEU'],
};

const contribution = (
  id: bigint,
  status: LinkedContribution['status'],
  committedMinor: bigint,
  paidMinor: bigint,
  currency = 'EUR',
): LinkedContribution => ({
  id,
  status,
  currency,
  pledgedMinor: committedMinor,
  committedMinor,
  paidMinor,
});

describe('checkMeeting', () => {
  it('normalises a meeting: trimmed text, blank optional text as null, defaults', () => {
    expect(checkMeeting({ ...meeting, title: '  ', sourceNote: ' seed ' })).toEqual({
      number: 31,
      kind: 'udcg',
      heldOn: '2025-10-15',
      place: 'Brussels',
      chairs: ['GBR', 'DEU'],
      participants: [],
      title: null,
      summary: null,
      synthetic: false,
      sourceNote: 'seed',
    });
  });

  it('refuses each malformed field, naming it', () => {
    expect(codeOf(() => checkMeeting({ ...meeting, number: 0 }))).toEqual([
      'VALIDATION_FAILED',
      'number',
    ]);
    expect(codeOf(() => checkMeeting({ ...meeting, number: 1.5 }))).toEqual([
      'VALIDATION_FAILED',
      'number',
    ]);
    expect(codeOf(() => checkMeeting({ ...meeting, kind: 'summit' }))).toEqual([
      'VALIDATION_FAILED',
      'kind',
    ]);
    expect(codeOf(() => checkMeeting({ ...meeting, heldOn: '2025-02-30' }))).toEqual([
      'VALIDATION_FAILED',
      'heldOn',
    ]);
    expect(codeOf(() => checkMeeting({ ...meeting, place: '  ' }))).toEqual([
      'VALIDATION_FAILED',
      'place',
    ]);
    expect(codeOf(() => checkMeeting({ ...meeting, chairs: [] }))).toEqual([
      'VALIDATION_FAILED',
      'chairs',
    ]);
    expect(codeOf(() => checkMeeting({ ...meeting, chairs: ['GBR', 'gbr'] }))).toEqual([
      'VALIDATION_FAILED',
      'chairs.1',
    ]);
    expect(codeOf(() => checkMeeting({ ...meeting, participants: ['UKR', 'USA', 'UKR'] }))).toEqual(
      ['VALIDATION_FAILED', 'participants.2'],
    );
    expect(
      codeOf(() =>
        checkMeeting({ ...meeting, chairs: Array.from({ length: 11 }, (_, i) => `P${i}X`) }),
      ),
    ).toEqual(['LIMIT_EXCEEDED', 'chairs']);
  });

  it('a change checks only the fields it names, and must name one', () => {
    expect(checkMeetingChanges({ place: ' NATO HQ ' })).toEqual({ place: 'NATO HQ' });
    expect(checkMeetingChanges({ title: '' })).toEqual({ title: null });
    expect(codeOf(() => checkMeetingChanges({}))).toEqual(['VALIDATION_FAILED', 'body']);
    expect(codeOf(() => checkMeetingChanges({ chairs: ['X'] }))).toEqual([
      'VALIDATION_FAILED',
      'chairs.0',
    ]);
  });
});

describe('checkAnnouncement', () => {
  it('takes an amount with its currency, or neither', () => {
    expect(
      checkAnnouncement({ partyId: 'NATO-HQ', text: 'already 2 billion committed' }),
    ).toMatchObject({ amountMinor: null, currency: null });
    expect(
      checkAnnouncement({
        partyId: 'ESP',
        text: '€100M',
        amountMinor: 10_000_000_000n,
        currency: 'EUR',
      }),
    ).toMatchObject({ amountMinor: 10_000_000_000n, currency: 'EUR' });
    expect(
      checkAnnouncement({ partyId: 'ESP', text: 'x', amountMinor: 0n, currency: 'EUR' })
        .amountMinor,
    ).toBe(0n);
    expect(codeOf(() => checkAnnouncement({ partyId: 'ESP', text: 'x', amountMinor: 1n }))).toEqual(
      ['VALIDATION_FAILED', 'currency'],
    );
    expect(codeOf(() => checkAnnouncement({ partyId: 'ESP', text: 'x', currency: 'EUR' }))).toEqual(
      ['VALIDATION_FAILED', 'amountMinor'],
    );
    expect(
      codeOf(() =>
        checkAnnouncement({ partyId: 'ESP', text: 'x', amountMinor: -1n, currency: 'EUR' }),
      ),
    ).toEqual(['AMOUNT_INVALID', 'amountMinor']);
    expect(codeOf(() => checkAnnouncement({ partyId: 'ESP', text: ' ' }))).toEqual([
      'VALIDATION_FAILED',
      'text',
    ]);
  });

  it('links an announcement only to its own party’s contributions', () => {
    expect(() => checkLinkParty('ESP', 'ESP')).not.toThrow();
    expect(codeOf(() => checkLinkParty('ESP', 'NLD'))).toEqual([
      'VALIDATION_FAILED',
      'contributionId',
    ]);
  });
});

describe('follow-up', () => {
  it('says where an announcement stands from its contributions', () => {
    expect(followUpStatus([])).toBe('not_linked');
    expect(followUpStatus([contribution(1n, 'cancelled', 0n, 0n)])).toBe('cancelled');
    expect(followUpStatus([contribution(1n, 'pledged', 0n, 0n)])).toBe('pledged');
    expect(
      followUpStatus([contribution(1n, 'committed', 5n, 0n), contribution(2n, 'pledged', 0n, 0n)]),
    ).toBe('committed');
    expect(followUpStatus([contribution(1n, 'partially_paid', 5n, 2n)])).toBe('partially_paid');
    expect(
      followUpStatus([contribution(1n, 'paid', 5n, 5n), contribution(2n, 'committed', 5n, 0n)]),
    ).toBe('partially_paid');
    expect(
      followUpStatus([contribution(1n, 'paid', 5n, 5n), contribution(2n, 'cancelled', 0n, 0n)]),
    ).toBe('paid');
  });

  it('sums per currency, counting a contribution linked twice once', () => {
    const shared = contribution(7n, 'partially_paid', 100n, 40n, 'EUR');
    expect(
      totalsByCurrency([
        { amountMinor: 500n, currency: 'USD', contributions: [shared] },
        {
          amountMinor: 100n,
          currency: 'EUR',
          contributions: [shared, contribution(8n, 'paid', 3n, 3n, 'USD')],
        },
        { amountMinor: null, currency: null, contributions: [] },
      ]),
    ).toEqual([
      { currency: 'EUR', announcedMinor: 100n, committedMinor: 100n, paidMinor: 40n },
      { currency: 'USD', announcedMinor: 500n, committedMinor: 3n, paidMinor: 3n },
    ]);
  });
});
