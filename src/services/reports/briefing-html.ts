/**
 * The meeting briefing as one self-contained HTML document (inline CSS, inline SVG charts, no
 * script, no external resource), plus the header and footer templates the PDF printer repeats on
 * every page. Pure: takes a `BriefingModel`, returns strings.
 *
 * Rules:
 * - Print layout: A4 portrait (`@page`), one section per page (the follow-up and the stalled
 *   packages share the last one when they fit), tables and charts never split across pages.
 * - Every text from data is HTML-escaped; French text gets its no-break spaces before
 *   ":", ";", "?", "!" (`frenchSpacing`).
 * - Money is shown compact for reading ("$1.23 bn") with the exact amount beside the headline
 *   figures; every number through `briefing-format.ts`.
 * - A "synthetic demonstration data" line is shown under the title and in every page footer when
 *   the model says the data is synthetic.
 */
import { percentText } from '../../core/analytics.js';
import { briefingFormat, NBSP, NNBSP, UNKNOWN } from './briefing-format.js';
import { BRIEFING_MESSAGES } from './briefing-messages.js';
import {
  burdenChartSvg,
  CHART_FONT_FAMILY,
  coverageChartSvg,
  paceChartSvg,
  type ChartContext,
} from './briefing-charts.js';
import type {
  BriefingFollowUp,
  BriefingModel,
  BriefingStalledPackage,
  BriefingWait,
} from './briefing-model.js';

/** Donors listed in the top-donors table. */
export const BRIEFING_TOP_DONORS = 10;
/** Characters of an announcement's text shown in the follow-up table (the rest is cut with …). */
export const BRIEFING_ANNOUNCEMENT_CHARS = 240;
/** Announcements listed per meeting (the totals count them all; the rest is said in one line). */
export const BRIEFING_ANNOUNCEMENTS_MAX = 15;
/** Stalled packages listed, longest wait first (the rest is said in one line). */
export const BRIEFING_STALLED_MAX = 12;
/** Donors in the burden-sharing chart, largest share of GDP first. */
export const BRIEFING_CHART_DONORS = 15;

export interface BriefingDocument {
  /** The PDF's title (also the HTML `<title>`). */
  title: string;
  html: string;
  headerTemplate: string;
  footerTemplate: string;
}

interface Context extends ChartContext {
  model: BriefingModel;
  /** Escapes text for HTML (and typesets French). */
  t(text: string): string;
  /** A table cell's amount: millions, one decimal, unit in the column header; null → "—". */
  cell(amountMinor: bigint | null): string;
  /** A column header with the table's money unit: "Committed ($ m)" / "Engagé (M$)". */
  moneyHeader(label: string): string;
}

export function briefingHtml(model: BriefingModel): BriefingDocument {
  const format = briefingFormat(model.lang);
  const messages = BRIEFING_MESSAGES[model.lang];
  const t = (text: string) => escapeHtml(model.lang === 'fr' ? frenchSpacing(text) : text);
  const context: Context = {
    model,
    format,
    messages,
    currency: model.currency,
    t,
    cell: (amountMinor) => (amountMinor === null ? UNKNOWN : t(format.millions(amountMinor, 1))),
    moneyHeader: (label) => t(`${label} (${messages.unitMillions[model.currency]})`),
  };
  const meetingTitle = messages.meetingTitle(model.meeting.kind, model.meeting.number);
  const title = `${messages.documentTitle} — ${meetingTitle}`;
  const body = [
    titleBlock(context, meetingTitle),
    headlineSection(context),
    paceSection(context),
    burdenSection(context),
    coverageSection(context),
    followUpSection(context),
    stalledSection(context),
  ].join('\n');
  const html = `<!DOCTYPE html>
<html lang="${model.lang}">
<head>
<meta charset="utf-8">
<title>${t(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>`;
  return {
    title,
    html,
    headerTemplate: headerTemplate(context, meetingTitle),
    footerTemplate: footerTemplate(context),
  };
}

// ---- sections ----

function titleBlock(c: Context, meetingTitle: string): string {
  const { model, messages, format, t } = c;
  const m = model.meeting;
  const basis = model.basis;
  const rates =
    basis.rateMode === 'fixed' && basis.rateDate !== null
      ? messages.basis.fixedRates(format.date(basis.rateDate))
      : messages.basis.valueDateRates;
  const rows: [string, string][] = [
    [messages.date, format.date(m.heldOn)],
    [messages.place, m.place],
    [messages.chairs(m.chairs.length), messages.list(m.chairs)],
  ];
  const basisRows: [string, string][] = [
    [messages.basis.currency, messages.basis.currencyName[basis.currency]],
    [messages.basis.rates, rates],
    [messages.basis.asOf, format.date(basis.asOf)],
    [
      messages.basis.rateSource,
      basis.rateSource
        .split('; ')
        .map((source) => messages.basis.knownSources[source] ?? source)
        .join('; '),
    ],
    [messages.basis.generatedAt, format.timestamp(basis.generatedAt)],
  ];
  const fellBack =
    basis.fellBack > 0
      ? `<p class="note">${t(messages.basis.fellBack(format.integer(basis.fellBack)))}</p>`
      : '';
  const afterLastRate =
    basis.afterLastRate > 0 && basis.lastRateDate !== null
      ? `<p class="note">${t(messages.basis.afterLastRate(format.integer(basis.afterLastRate), format.date(basis.lastRateDate)))}</p>`
      : '';
  return `<header class="title-block">
  <p class="kicker">${t(messages.kicker)}</p>
  <h1>${t(meetingTitle)}</h1>
  ${definitionList(rows, t, 'meeting-facts')}
  ${model.synthetic ? `<p class="synthetic">${t(messages.syntheticNotice)}</p>` : ''}
  <section class="basis">
    <h3>${t(messages.basis.title)}</h3>
    ${definitionList(basisRows, t, 'basis-facts')}
    ${fellBack}
    ${afterLastRate}
  </section>
</header>`;
}

function headlineSection(c: Context): string {
  const { model, messages, format, t } = c;
  const h = model.headline;
  const card = (label: string, amountMinor: bigint, key: string) => `<div class="card ${key}">
    <div class="card-label">${t(label)}</div>
    <div class="card-value">${t(format.money(amountMinor, model.currency))}</div>
    <div class="card-exact">${t(format.moneyExact(amountMinor, model.currency))}</div>
  </div>`;
  const goal = format.money(h.goalMinor, model.currency);
  const committed = format.money(h.committedMinor, model.currency);
  const fill = h.goalPercent === null ? 0 : Math.min(100, Math.max(0, Number(h.goalPercent)));
  const remaining = h.goalMinor - h.committedMinor;
  const converted = h.goalConvertedFrom;
  const progress = [
    ...(converted
      ? [
          messages.headline.goalConverted(
            format.money(converted.usdMinor, 'USD'),
            format.date(converted.rateDate),
          ),
        ]
      : []),
    messages.headline.goalProgress(committed, format.percent(h.goalPercent, 1), goal),
    remaining > 0n
      ? messages.headline.goalRemaining(format.money(remaining, model.currency))
      : messages.headline.goalReached,
  ].join(' ');
  const pledged =
    h.pledgedMinor > 0n
      ? `<p>${t(messages.headline.pledgedNote(format.money(h.pledgedMinor, model.currency)))}</p>`
      : '';
  return `<section class="headline">
  <h2>${t(messages.headline.title)}</h2>
  <div class="cards">
    ${card(messages.headline.committed, h.committedMinor, 'committed')}
    ${card(messages.headline.paid, h.paidMinor, 'paid')}
    ${card(messages.headline.allocated, h.allocatedMinor, 'allocated')}
    ${card(messages.headline.authorised, h.authorisedMinor, 'authorised')}
    ${card(messages.headline.delivered, h.deliveredMinor, 'delivered')}
  </div>
  <div class="goal">
    <h3>${t(messages.headline.goalTitle(goal))}</h3>
    <div class="goal-bar"><div class="goal-fill" style="width:${fill.toFixed(2)}%"></div></div>
    <p>${t(progress)}</p>
  </div>
  <p class="donors">${t(messages.headline.donors(format.integer(h.donors)))}</p>
  ${pledged}
  <p class="note">${t(messages.headline.explain)}</p>
</section>`;
}

function paceSection(c: Context): string {
  const { model, messages, format, t } = c;
  const pace = model.pace;
  const goal = format.money(pace.goalMinor, model.currency);
  const p = pace.projection;
  const projection =
    p.kind === 'reached'
      ? messages.pace.reached(goal, format.date(p.on))
      : p.kind === 'projected'
        ? messages.pace.projected(
            goal,
            format.date(p.on),
            format.money(p.paceMinor, model.currency),
          )
        : messages.pace.notProjected(goal, messages.pace.reasons[p.reason]);
  return `<section class="page">
  <h2>${t(messages.pace.title)}</h2>
  <p>${t(messages.pace.intro(format.money(pace.targetPerMonthMinor, model.currency)))}</p>
  <figure class="chart">${paceChartSvg(pace, c)}</figure>
  <p class="conclusion">${t(projection)}</p>
</section>`;
}

function burdenSection(c: Context): string {
  const { model, messages, format, t } = c;
  if (model.donors.length === 0) {
    return `<section class="page"><h2>${t(messages.burden.title)}</h2><p>${t(messages.burden.none)}</p></section>`;
  }
  const top = model.donors.slice(0, BRIEFING_TOP_DONORS);
  const anyFallback = model.donors.some((d) => d.gdpFallback && d.percentGdp !== null);
  const rows = top
    .map(
      (d) => `<tr>
      <td class="num">${format.integer(d.rank)}</td>
      <td>${t(d.name)}${d.gdpFallback ? ' *' : ''}</td>
      <td class="num">${c.cell(d.committedMinor)}</td>
      <td class="num">${d.percentGdp === null ? t(messages.burden.noGdp) : t(format.percent(d.percentGdp, 3))}</td>
      <td class="num">${t(format.percent(d.sharePercent, 1))}</td>
      <td class="num">${d.perCapitaMinor === null ? '—' : t(format.moneyExact(d.perCapitaMinor, model.currency))}</td>
    </tr>`,
    )
    .join('\n');
  return `<section class="page">
  <h2>${t(messages.burden.title)}</h2>
  <p>${t(messages.burden.intro)}</p>
  ${
    model.donors.some((d) => d.percentGdp !== null)
      ? `<figure class="chart">${burdenChartSvg(model.donors, c, BRIEFING_CHART_DONORS)}</figure>`
      : `<p class="note">${t(messages.burden.noGdpAtAll)}</p>`
  }
  ${anyFallback ? `<p class="note">${t(messages.burden.fallbackNote('*'))}</p>` : ''}
  <h3>${t(messages.burden.top(format.integer(top.length)))}</h3>
  <table>
    <thead><tr>
      <th class="num">${t(messages.burden.rank)}</th><th>${t(messages.burden.donor)}</th>
      <th class="num">${c.moneyHeader(messages.burden.committed)}</th><th class="num">${t(messages.burden.percentGdp)}</th>
      <th class="num">${t(messages.burden.share)}</th><th class="num">${t(messages.burden.perCapita)}</th>
    </tr></thead>
    <tbody>${rows}</tbody>
  </table>
</section>`;
}

function coverageSection(c: Context): string {
  const { model, messages, format, t } = c;
  const rows = model.coverage;
  if (rows.length === 0) {
    return `<section class="page"><h2>${t(messages.coverage.title)}</h2><p>${t(messages.coverage.none)}</p></section>`;
  }
  const sum = (pick: (r: (typeof rows)[number]) => bigint) =>
    rows.reduce((total, r) => total + pick(r), 0n);
  const approved = sum((r) => r.approvedMinor);
  const funded = sum((r) => r.fundedMinor);
  const delivered = sum((r) => r.deliveredMinor);
  const line = (
    name: string,
    a: bigint,
    f: bigint,
    d: bigint,
    percent: string | null,
    cls = '',
  ) => `<tr class="${cls}">
      <td>${t(name)}</td><td class="num">${c.cell(a)}</td><td class="num">${c.cell(f)}</td>
      <td class="num">${c.cell(d)}</td><td class="num">${t(format.percent(percent, 1))}</td>
    </tr>`;
  const body = rows
    .map((r) => line(r.name, r.approvedMinor, r.fundedMinor, r.deliveredMinor, r.percentFunded))
    .join('\n');
  return `<section class="page">
  <h2>${t(messages.coverage.title)}</h2>
  <p>${t(messages.coverage.intro)}</p>
  <figure class="chart">${coverageChartSvg(rows, c)}</figure>
  <table>
    <thead><tr>
      <th>${t(messages.coverage.area)}</th><th class="num">${c.moneyHeader(messages.coverage.approved)}</th>
      <th class="num">${c.moneyHeader(messages.coverage.funded)}</th><th class="num">${c.moneyHeader(messages.coverage.delivered)}</th>
      <th class="num">${t(messages.coverage.percentFunded)}</th>
    </tr></thead>
    <tbody>${body}
    ${line(messages.coverage.total, approved, funded, delivered, percentText(funded, approved, 2), 'total')}
    </tbody>
  </table>
</section>`;
}

function followUpSection(c: Context): string {
  const { model, messages, format, t } = c;
  const previous = model.previous
    ? `<p>${t(
        messages.followUp.previousIntro(
          messages.meetingTitle(model.previous.meeting.kind, model.previous.meeting.number),
          format.date(model.previous.meeting.heldOn),
        ),
      )}</p>
  ${followUpTable(c, model.previous)}`
    : `<p>${t(messages.followUp.noPrevious)}</p>`;
  const current = model.current
    ? `<h3>${t(messages.followUp.currentTitle)}</h3>
  ${followUpTable(c, model.current)}`
    : '';
  return `<section class="page">
  <h2>${t(messages.followUp.title)}</h2>
  ${previous}
  ${current}
  <p class="note">${t(messages.followUp.quotedAsReported)}</p>
</section>`;
}

function followUpTable(c: Context, followUp: BriefingFollowUp): string {
  const { messages, t } = c;
  if (followUp.announcements.length === 0) return `<p>${t(messages.followUp.noAnnouncements)}</p>`;
  const listed = followUp.announcements.slice(0, BRIEFING_ANNOUNCEMENTS_MAX);
  const more = followUp.announcements.length - listed.length;
  const rows = listed
    .map(
      (a) => `<tr>
      <td>${t(a.partyName)}</td>
      <td class="quote">${escapeHtml(shorten(a.text, BRIEFING_ANNOUNCEMENT_CHARS))}</td>
      <td class="num">${c.cell(a.announcedMinor)}</td>
      <td class="num">${c.cell(a.committedMinor)}</td>
      <td class="num">${c.cell(a.paidMinor)}</td>
      <td class="num">${c.cell(a.deliveredSinceMinor)}</td>
      <td>${t(messages.followUp.statuses[a.status])}</td>
    </tr>`,
    )
    .join('\n');
  const totals = followUp.totals;
  return `<table class="follow-up">
    <thead><tr>
      <th>${t(messages.followUp.party)}</th><th>${t(messages.followUp.announcement)}</th>
      <th class="num">${c.moneyHeader(messages.followUp.announced)}</th><th class="num">${c.moneyHeader(messages.followUp.committed)}</th>
      <th class="num">${c.moneyHeader(messages.followUp.paid)}</th><th class="num">${c.moneyHeader(messages.followUp.deliveredSince)}</th>
      <th>${t(messages.followUp.status)}</th>
    </tr></thead>
    <tbody>${rows}
    <tr class="total"><td colspan="2">${t(messages.followUp.totals)}</td>
      <td class="num">${c.cell(totals.announcedMinor)}</td><td class="num">${c.cell(totals.committedMinor)}</td>
      <td class="num">${c.cell(totals.paidMinor)}</td><td class="num">${c.cell(totals.deliveredSinceMinor)}</td><td></td></tr>
    </tbody>
  </table>${more > 0 ? `\n  <p class="note">${t(messages.followUp.more(c.format.integer(more)))}</p>` : ''}`;
}

function stalledSection(c: Context): string {
  const { model, messages, format, t } = c;
  const threshold = messages.days(model.stalledAfterDays, format.integer(model.stalledAfterDays));
  const table =
    model.stalled.length === 0
      ? `<p>${t(messages.stalled.none)}</p>`
      : `<table>
    <thead><tr>
      <th>${t(messages.stalled.packageNumber)}</th><th>${t(messages.stalled.status)}</th>
      <th>${t(messages.stalled.since)}</th><th class="num">${t(messages.stalled.days)}</th>
      <th>${t(messages.stalled.waitingFor)}</th>
    </tr></thead>
    <tbody>${model.stalled
      .slice(0, BRIEFING_STALLED_MAX)
      .map((s) => stalledRow(c, s))
      .join('\n')}</tbody>
  </table>${
    model.stalled.length > BRIEFING_STALLED_MAX
      ? `\n  <p class="note">${t(messages.stalled.more(format.integer(model.stalled.length - BRIEFING_STALLED_MAX)))}</p>`
      : ''
  }`;
  return `<section class="stalled">
  <h2>${t(messages.stalled.title)}</h2>
  <p>${t(messages.stalled.intro(threshold))}</p>
  ${table}
</section>`;
}

function stalledRow(c: Context, s: BriefingStalledPackage): string {
  const { messages, format, t } = c;
  return `<tr>
      <td>${t(s.number)}</td><td>${t(messages.stalled.statuses[s.status])}</td>
      <td>${t(format.date(s.since))}</td><td class="num">${format.integer(s.days)}</td>
      <td>${t(waitText(c, s.wait))}</td>
    </tr>`;
}

/** What a stalled package waits for, in the reader's language. */
function waitText(c: Context, wait: BriefingWait): string {
  const { model, messages, format } = c;
  switch (wait.kind) {
    case 'funding':
      return messages.stalled.waitFunding(format.money(wait.gapMinor, model.currency));
    case 'authorisation':
      return messages.stalled.waitAuthorisation;
    case 'first_dispatch':
      return messages.stalled.waitFirstDispatch;
    case 'receipt':
      return messages.stalled.waitReceipt(
        wait.linesReceived,
        format.integer(wait.linesReceived),
        format.integer(wait.lines),
      );
  }
}

// ---- header, footer ----

function headerTemplate(c: Context, meetingTitle: string): string {
  const { model, messages, format, t } = c;
  const text = `${messages.documentTitle} · ${meetingTitle} · ${format.date(model.meeting.heldOn)}`;
  return `<div style="${TEMPLATE_STYLE}"><span>${t(text)}</span></div>`;
}

function footerTemplate(c: Context): string {
  const { model, messages, t } = c;
  const synthetic = model.synthetic
    ? `<span>${t(messages.syntheticShort)}</span>`
    : '<span></span>';
  return `<div style="${TEMPLATE_STYLE} justify-content: space-between;">${synthetic}<span>${t(messages.footer.page)} <span class="pageNumber"></span> ${t(messages.footer.of)} <span class="totalPages"></span></span></div>`;
}

const TEMPLATE_STYLE = [
  'width: 100%',
  'box-sizing: border-box',
  'padding: 0 16mm',
  'font-size: 7.5pt',
  'color: #444',
  `font-family: ${CHART_FONT_FAMILY.replace(/'/g, '')}`,
  'display: flex',
  'gap: 8mm',
  '-webkit-print-color-adjust: exact',
]
  .map((rule) => `${rule};`)
  .join(' ');

// ---- text ----

/** HTML-escapes text for element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** French typography: a no-break space before ":" and a narrow one before ";", "?", "!". */
export function frenchSpacing(text: string): string {
  return text.replace(/ :/g, `${NBSP}:`).replace(/ ([;?!])/g, `${NNBSP}$1`);
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

function definitionList(rows: [string, string][], t: (s: string) => string, cls: string): string {
  return `<dl class="${cls}">${rows
    .map(([k, v]) => `<dt>${t(k)}</dt><dd>${t(v)}</dd>`)
    .join('')}</dl>`;
}

const STYLE = `
@page { size: A4; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: ${CHART_FONT_FAMILY}; font-size: 10pt; line-height: 1.35; color: #111; }
h1 { font-size: 20pt; margin: 2mm 0 4mm; color: #1b365d; line-height: 1.2; }
h2 { font-size: 14pt; margin: 0 0 3mm; color: #1b365d; border-bottom: 1.5pt solid #1b365d; padding-bottom: 1mm; }
h3 { font-size: 11pt; margin: 4mm 0 2mm; color: #1b365d; }
p { margin: 0 0 2.5mm; }
.kicker { font-size: 8.5pt; letter-spacing: 0.02em; text-transform: uppercase; color: #555; margin: 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 5mm; margin: 0 0 3mm; }
dt { font-weight: 600; color: #333; }
dd { margin: 0; }
.synthetic { border: 1pt solid #b4541a; color: #7a3510; padding: 1.5mm 3mm; font-size: 9pt; font-weight: 600; }
.basis { border: 0.75pt solid #999; padding: 2mm 4mm; margin: 3mm 0 5mm; font-size: 9pt; }
.basis h3 { margin-top: 0; }
.note { font-size: 8.5pt; color: #444; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 3mm; margin-bottom: 4mm; }
.card { border: 0.75pt solid #1b365d; padding: 2.5mm; break-inside: avoid; }
.card.committed { border-width: 2pt; }
.card-label { font-size: 8.5pt; color: #333; min-height: 2.4em; }
.card-value { font-size: 15pt; font-weight: 700; color: #1b365d; white-space: nowrap; }
.card-exact { font-size: 7.5pt; color: #444; white-space: nowrap; }
.goal { break-inside: avoid; margin-bottom: 3mm; }
.goal-bar { height: 6mm; border: 1pt solid #1b365d; background: #dfe6f1; }
.goal-fill { height: 100%; background: #1b365d; }
.donors { font-weight: 600; }
.page { break-before: page; }
.stalled { break-inside: avoid; margin-top: 6mm; }
.chart { margin: 0 0 3mm; break-inside: avoid; }
.chart svg { width: 100%; height: auto; display: block; }
.conclusion { font-weight: 600; }
table { width: 100%; border-collapse: collapse; font-size: 8.5pt; break-inside: avoid; margin-bottom: 3mm; }
th { text-align: left; border-bottom: 1pt solid #1b365d; padding: 1mm 1.5mm; vertical-align: bottom; }
td { border-bottom: 0.5pt solid #bbb; padding: 1mm 1.5mm; vertical-align: top; }
.num { text-align: right; white-space: nowrap; }
th.num { white-space: normal; }
tr.total td { font-weight: 700; border-top: 1pt solid #1b365d; border-bottom: none; }
.quote { font-style: italic; }
table.follow-up { font-size: 8pt; }
table.follow-up .quote { width: 36%; }
`;
