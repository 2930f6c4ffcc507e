/**
 * The list datasets: every list of the product as an export, read through the same service
 * functions as the API (`listContributions`, `getPackage`, `getDeliveries`, …), a page at a
 * time, so the same access rules and the same redaction apply. Nothing here reads a table.
 *
 * Rules:
 * - Amounts stay in each record's own currency (money columns name their currency column);
 *   the meta block says so ("original currencies, no conversion").
 * - A restricted field the reader may not see (`{ redacted: true }` from the service) is written
 *   as `[redacted]` (`[masqué]` in French) — never left empty, which would read as "none".
 * - Rows are produced lazily (async generators): a page is read when the writer needs it, so a
 *   whole-database export holds one page in memory. Pages are read one after another (each
 *   consistent in itself), as a client paging the API would; a package's lines, allocations and
 *   deliveries come from one snapshot of that package.
 * - Deliveries are read only for packages that can have any (authorised or later).
 */
import type { Actor } from '../../core/actor.js';
import { CONTRIBUTION_STATUSES, type ContributionStatus } from '../../core/contributions.js';
import type { ExportColumn, ExportColumnKind } from '../../core/export-table.js';
import { MEETING_KINDS, type MeetingKind } from '../../core/meetings.js';
import { LIMITS } from '../../core/limits.js';
import { PACKAGE_STATUSES, type PackageStatus } from '../../core/packages.js';
import type { Page } from '../../core/pagination.js';
import { isRedacted } from '../../core/redaction.js';
import { PARTY_KINDS, type PartyKind } from '../../core/reference.js';
import { REQUIREMENT_LIST_STATUSES, type RequirementListStatus } from '../../core/requirements.js';
import type { Database } from '../../storage/database.js';
import { listContributions } from '../contributions-service.js';
import { getDeliveries } from '../deliveries-service.js';
import { getMeeting, listMeetings } from '../meetings-service.js';
import { getPackage, listPackages, type PackageSummary } from '../packages-service.js';
import { listParties } from '../reference-service.js';
import { getRequirementList, listRequirementLists } from '../requirements-service.js';
import type { ExportCell } from '../../core/export-table.js';
import type { ExportRow, ExportSource } from './cells.js';
import type { DatasetDefinition, ExportFilters, ExportQuery } from './export-query.js';
import { COLUMN, REDACTED_TEXT, words, type ExportLanguage, type Words } from './labels.js';

interface ColumnSpec {
  key: string;
  label: Words;
  kind: ExportColumnKind;
  currency?: string;
  currencyKey?: string;
}

function col(
  key: string,
  label: Words,
  kind: ExportColumnKind = 'text',
  money?: { currency?: string; currencyKey?: string },
): ColumnSpec {
  return { key, label, kind, ...money };
}

function columnsIn(specs: readonly ColumnSpec[], lang: ExportLanguage): ExportColumn[] {
  return specs.map(({ label, ...rest }) => ({ ...rest, label: label[lang] }));
}

/** Every item of a paged service list, one page in memory at a time. */
async function* everyPage<T>(
  fetch: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** A restricted field as a cell: the value, or the redaction marker. */
function restricted(value: unknown, lang: ExportLanguage): ExportCell {
  if (isRedacted(value)) return REDACTED_TEXT[lang];
  return value as ExportCell;
}

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

/** A list dataset: its columns, and its rows read lazily through the services. */
function listDataset(
  definition: Omit<DatasetDefinition, 'kind' | 'produce'> & {
    columns: readonly ColumnSpec[];
    rows: (
      database: Database,
      actor: Actor,
      filters: ExportFilters,
      lang: ExportLanguage,
    ) => AsyncIterable<ExportRow>;
    name: string;
  },
): DatasetDefinition {
  const { columns, rows, name, ...rest } = definition;
  return {
    ...rest,
    kind: 'list',
    produce: async (database, actor, query: ExportQuery): Promise<ExportSource> => ({
      name,
      title: definition.title[query.lang],
      meta: [],
      columns: columnsIn(columns, query.lang),
      rows: rows(database, actor, query.filters, query.lang),
    }),
  };
}

const PAGE = { limit: LIMITS.pageSizeMax };
const PACKAGE_FILTERS = ['status', 'cycle', 'capabilityArea', 'donor', 'from', 'to'] as const;
const CREATED = words('created on (from/to)', 'créé le (du/au)');

// ---- Contributions ----

const contributions = listDataset({
  name: 'contributions',
  title: words('Contributions', 'Contributions'),
  operation: 'contributions.read',
  filters: ['status', 'donor', 'capabilityArea', 'from', 'to'],
  statuses: CONTRIBUTION_STATUSES,
  dateMeaning: words('announced on (from/to)', 'annoncée le (du/au)'),
  columns: [
    col('id', COLUMN.id, 'integer'),
    col('donor', COLUMN.donor),
    col('title', COLUMN.title),
    col('status', COLUMN.status),
    col('currency', COLUMN.currency),
    col('pledged', words('Pledged', 'Promis'), 'money', { currencyKey: 'currency' }),
    col('committed', words('Committed', 'Engagé'), 'money', { currencyKey: 'currency' }),
    col('paid', words('Paid', 'Versé'), 'money', { currencyKey: 'currency' }),
    col('allocated', words('Allocated to packages', 'Alloué aux paquets'), 'money', {
      currencyKey: 'currency',
    }),
    col('available', words('Available', 'Disponible'), 'money', { currencyKey: 'currency' }),
    col('announcedOn', words('Announced on', 'Annoncée le'), 'date'),
    col('committedOn', words('Committed on', 'Engagée le'), 'date'),
    col('earmarkAreas', words('Earmarked capability areas', 'Domaines capacitaires préaffectés')),
    col(
      'earmarkPackageId',
      words('Earmarked package ID', 'Paquet préaffecté (identifiant)'),
      'integer',
    ),
    col('internalNote', words('Internal note', 'Note interne')),
    col('statusReason', COLUMN.statusReason),
    col('sourceNote', COLUMN.sourceNote),
    col('synthetic', COLUMN.synthetic, 'boolean'),
  ],
  async *rows(database, actor, f, lang) {
    const contributionsRead = everyPage((cursor) =>
      listContributions(database, actor, {
        ...PAGE,
        cursor,
        status: f.status as ContributionStatus | undefined,
        donorPartyId: f.donor,
        capabilityArea: f.capabilityArea,
        announcedFrom: f.from,
        announcedTo: f.to,
      }),
    );
    for await (const c of contributionsRead) {
      yield {
        id: c.id,
        donor: c.donorPartyId,
        title: c.title,
        status: c.status,
        currency: c.currency,
        pledged: c.pledgedMinor,
        committed: c.committedMinor,
        paid: c.paidMinor,
        allocated: c.allocatedMinor,
        available: c.availableMinor,
        announcedOn: c.announcedOn,
        committedOn: c.committedOn,
        earmarkAreas: c.earmarks.capabilityAreas.join('; '),
        earmarkPackageId: c.earmarks.packageId,
        internalNote: restricted(c.internalNote, lang),
        statusReason: c.statusReason,
        sourceNote: c.sourceNote,
        synthetic: c.synthetic,
      };
    }
  },
});

// ---- Packages and what hangs off them ----

function packagesOf(
  database: Database,
  actor: Actor,
  f: ExportFilters,
): AsyncIterable<PackageSummary> {
  if (f.packageId !== undefined) {
    const id = f.packageId;
    return (async function* () {
      yield await getPackage(database, actor, id);
    })();
  }
  return everyPage((cursor) =>
    listPackages(database, actor, {
      ...PAGE,
      cursor,
      status: f.status as PackageStatus | undefined,
      cycle: f.cycle,
      capabilityArea: f.capabilityArea,
      donorPartyId: f.donor,
      createdFrom: f.from,
      createdTo: f.to,
    }),
  );
}

const packages = listDataset({
  name: 'packages',
  title: words('Packages', 'Paquets'),
  operation: 'packages.read',
  filters: [...PACKAGE_FILTERS, 'packageId'],
  statuses: PACKAGE_STATUSES,
  dateMeaning: CREATED,
  columns: [
    col('id', COLUMN.id, 'integer'),
    col('number', words('Number', 'Numéro')),
    col('cycle', COLUMN.cycle),
    col('title', COLUMN.title),
    col('status', COLUMN.status),
    col('currency', COLUMN.currency),
    col('target', words('Target', 'Objectif'), 'money', { currencyKey: 'currency' }),
    col('price', words('Price', 'Prix'), 'money', { currencyKey: 'currency' }),
    col('funded', words('Funded', 'Financé'), 'money', { currencyKey: 'currency' }),
    col('gap', words('Gap (price not yet funded)', 'Reste à financer'), 'money', {
      currencyKey: 'currency',
    }),
    col('surplus', words('Surplus', 'Excédent'), 'money', { currencyKey: 'currency' }),
    col('disbursed', words('Disbursed', 'Décaissé'), 'money', { currencyKey: 'currency' }),
    col('authorizationReference', words('Authorisation reference', 'Référence d’autorisation')),
    col('authorizedOn', words('Authorised on', 'Autorisé le'), 'date'),
    col('statusReason', COLUMN.statusReason),
    col('createdAt', COLUMN.createdAt, 'date'),
    col('sourceNote', COLUMN.sourceNote),
    col('synthetic', COLUMN.synthetic, 'boolean'),
  ],
  async *rows(database, actor, f) {
    for await (const p of packagesOf(database, actor, f)) {
      yield {
        id: p.id,
        number: p.number,
        cycle: p.cycle,
        title: p.title,
        status: p.status,
        currency: p.currency,
        target: p.targetMinor,
        price: p.priceMinor,
        funded: p.fundedMinor,
        gap: p.gapMinor,
        surplus: p.surplusMinor,
        disbursed: p.disbursedMinor,
        authorizationReference: p.authorizationReference,
        authorizedOn: p.authorizedOn,
        statusReason: p.statusReason,
        createdAt: iso(p.createdAt),
        sourceNote: p.sourceNote,
        synthetic: p.synthetic,
      };
    }
  },
});

const packageLines = listDataset({
  name: 'package-lines',
  title: words('Package lines', 'Lignes des paquets'),
  operation: 'packages.read',
  filters: [...PACKAGE_FILTERS, 'packageId'],
  statuses: PACKAGE_STATUSES,
  dateMeaning: CREATED,
  columns: [
    col('package', COLUMN.package),
    col('packageId', COLUMN.packageId, 'integer'),
    col('id', words('Line ID', 'Identifiant de la ligne'), 'integer'),
    col('requirementItemId', words('Requirement item ID', 'Identifiant de l’article'), 'integer'),
    col('capabilityArea', COLUMN.capabilityArea),
    col('category', COLUMN.category),
    col('lethal', COLUMN.lethal, 'boolean'),
    col('quantity', COLUMN.quantity, 'integer'),
    col('unit', COLUMN.unit),
    col('currency', COLUMN.currency),
    col('unitPrice', words('Unit price', 'Prix unitaire'), 'money', { currencyKey: 'currency' }),
    col('lineTotal', words('Line total', 'Total de la ligne'), 'money', {
      currencyKey: 'currency',
    }),
    col('description', COLUMN.description),
    col('synthetic', COLUMN.synthetic, 'boolean'),
  ],
  async *rows(database, actor, f, lang) {
    for await (const summary of packagesOf(database, actor, f)) {
      const p = await getPackage(database, actor, summary.id);
      for (const line of p.lines) {
        yield {
          package: p.number,
          packageId: p.id,
          id: line.id,
          requirementItemId: line.requirementItemId,
          capabilityArea: line.capabilityArea,
          category: line.category,
          lethal: line.lethal,
          quantity: line.quantity,
          unit: line.unit,
          currency: p.currency,
          unitPrice: restricted(line.unitPriceMinor, lang),
          lineTotal: restricted(line.lineTotalMinor, lang),
          description: restricted(line.description, lang),
          synthetic: line.synthetic,
        };
      }
    }
  },
});

const allocations = listDataset({
  name: 'allocations',
  title: words('Allocations', 'Allocations aux paquets'),
  operation: 'packages.read',
  filters: [...PACKAGE_FILTERS, 'packageId'],
  statuses: PACKAGE_STATUSES,
  dateMeaning: CREATED,
  columns: [
    col('package', COLUMN.package),
    col('packageId', COLUMN.packageId, 'integer'),
    col('id', words('Allocation ID', 'Identifiant de l’allocation'), 'integer'),
    col('contributionId', COLUMN.contribution, 'integer'),
    col('status', COLUMN.status),
    col('currency', words('Contribution currency', 'Devise de la contribution')),
    col(
      'amount',
      words('Amount (contribution currency)', 'Montant (devise de la contribution)'),
      'money',
      {
        currencyKey: 'currency',
      },
    ),
    col('packageCurrency', words('Package currency', 'Devise du paquet')),
    col(
      'packageAmount',
      words('Amount (package currency)', 'Montant (devise du paquet)'),
      'money',
      {
        currencyKey: 'packageCurrency',
      },
    ),
    col('valueDate', words('Value date', 'Date de valeur'), 'date'),
    col(
      'rate',
      words(
        'Rate (package currency per contribution currency unit)',
        'Taux (devise du paquet pour une unité de la devise de la contribution)',
      ),
      'decimal',
    ),
    col('rateDate', words('Rate date', 'Date du taux'), 'date'),
    col('rateSource', words('Rate source', 'Source du taux')),
    col('createdAt', COLUMN.createdAt, 'date'),
  ],
  async *rows(database, actor, f) {
    for await (const summary of packagesOf(database, actor, f)) {
      const p = await getPackage(database, actor, summary.id);
      for (const a of p.allocations) {
        yield {
          package: p.number,
          packageId: p.id,
          id: a.id,
          contributionId: a.contributionId,
          status: a.status,
          currency: a.currency,
          amount: a.amountMinor,
          packageCurrency: p.currency,
          packageAmount: a.packageAmountMinor,
          valueDate: a.valueDate,
          rate: a.rate,
          rateDate: a.rateDate,
          rateSource: a.rateSource,
          createdAt: iso(a.createdAt),
        };
      }
    }
  },
});

/** Statuses of packages that may have shipments. */
const SHIPPING_STATUSES: ReadonlySet<PackageStatus> = new Set([
  'authorized',
  'in_delivery',
  'delivered',
  'closed',
]);

async function* deliveriesOf(database: Database, actor: Actor, f: ExportFilters) {
  for await (const p of packagesOf(database, actor, f)) {
    if (!SHIPPING_STATUSES.has(p.status)) continue;
    yield { pkg: p, deliveries: await getDeliveries(database, actor, p.id) };
  }
}

const shipments = listDataset({
  name: 'shipments',
  title: words('Shipments', 'Expéditions'),
  operation: 'packages.read',
  filters: [...PACKAGE_FILTERS, 'packageId'],
  statuses: PACKAGE_STATUSES,
  dateMeaning: CREATED,
  columns: [
    col('package', COLUMN.package),
    col('packageId', COLUMN.packageId, 'integer'),
    col('id', words('Shipment ID', 'Identifiant de l’expédition'), 'integer'),
    col('reference', words('Reference', 'Référence')),
    col('status', COLUMN.status),
    col('lines', words('Lines (line ID × quantity)', 'Lignes (identifiant × quantité)')),
    col('quantity', words('Total quantity', 'Quantité totale'), 'integer'),
    col('plannedOn', words('Planned on', 'Prévue le'), 'date'),
    col('dispatchedOn', words('Dispatched on', 'Expédiée le'), 'date'),
    col('arrivedHubOn', words('Arrived at hub on', 'Arrivée au centre logistique le'), 'date'),
    col('handedOverOn', words('Handed over on', 'Remise le'), 'date'),
    col('receivedOn', words('Received on', 'Reçue le'), 'date'),
    col('synthetic', COLUMN.synthetic, 'boolean'),
  ],
  async *rows(database, actor, f) {
    for await (const { pkg, deliveries } of deliveriesOf(database, actor, f)) {
      for (const s of deliveries.shipments) {
        yield {
          package: pkg.number,
          packageId: pkg.id,
          id: s.id,
          reference: s.reference,
          status: s.status,
          lines: s.lines.map((l) => `${l.packageLineId} × ${l.quantity}`).join('; '),
          quantity: s.lines.reduce((sum, l) => sum + l.quantity, 0),
          plannedOn: s.plannedOn,
          dispatchedOn: s.dispatchedOn,
          arrivedHubOn: s.arrivedHubOn,
          handedOverOn: s.handedOverOn,
          receivedOn: s.receivedOn,
          synthetic: s.synthetic,
        };
      }
    }
  },
});

const receipts = listDataset({
  name: 'receipts',
  title: words('Receipts', 'Réceptions'),
  operation: 'packages.read',
  filters: [...PACKAGE_FILTERS, 'packageId'],
  statuses: PACKAGE_STATUSES,
  dateMeaning: CREATED,
  columns: [
    col('package', COLUMN.package),
    col('packageId', COLUMN.packageId, 'integer'),
    col('id', words('Receipt ID', 'Identifiant de la réception'), 'integer'),
    col('shipmentId', words('Shipment ID', 'Identifiant de l’expédition'), 'integer'),
    col('packageLineId', COLUMN.packageLine, 'integer'),
    col('receivedQuantity', words('Received quantity', 'Quantité reçue'), 'integer'),
    col('receivedOn', words('Received on', 'Reçue le'), 'date'),
  ],
  async *rows(database, actor, f) {
    for await (const { pkg, deliveries } of deliveriesOf(database, actor, f)) {
      for (const r of deliveries.receipts) {
        yield {
          package: pkg.number,
          packageId: pkg.id,
          id: r.id,
          shipmentId: r.shipmentId,
          packageLineId: r.packageLineId,
          receivedQuantity: r.receivedQuantity,
          receivedOn: r.receivedOn,
        };
      }
    }
  },
});

const discrepancies = listDataset({
  name: 'discrepancies',
  title: words('Delivery discrepancies', 'Écarts de livraison'),
  operation: 'packages.read',
  filters: [...PACKAGE_FILTERS, 'packageId'],
  statuses: PACKAGE_STATUSES,
  dateMeaning: CREATED,
  columns: [
    col('package', COLUMN.package),
    col('packageId', COLUMN.packageId, 'integer'),
    col('id', words('Discrepancy ID', 'Identifiant de l’écart'), 'integer'),
    col('receiptId', words('Receipt ID', 'Identifiant de la réception'), 'integer'),
    col('packageLineId', COLUMN.packageLine, 'integer'),
    col('kind', COLUMN.kind),
    col('quantity', COLUMN.quantity, 'integer'),
    col('reason', words('Reason', 'Motif')),
    col('resolution', words('Resolution', 'Résolution')),
    col('resolutionNote', words('Resolution note', 'Note de résolution')),
    col('resolvedAt', words('Resolved at', 'Résolu le'), 'date'),
  ],
  async *rows(database, actor, f) {
    for await (const { pkg, deliveries } of deliveriesOf(database, actor, f)) {
      for (const d of deliveries.discrepancies) {
        yield {
          package: pkg.number,
          packageId: pkg.id,
          id: d.id,
          receiptId: d.receiptId,
          packageLineId: d.packageLineId,
          kind: d.kind,
          quantity: d.quantity,
          reason: d.reason,
          resolution: d.resolution,
          resolutionNote: d.resolutionNote,
          resolvedAt: iso(d.resolvedAt),
        };
      }
    }
  },
});

// ---- Requirement lists ----

function requirementListsOf(database: Database, actor: Actor, f: ExportFilters) {
  return everyPage((cursor) =>
    listRequirementLists(database, actor, {
      ...PAGE,
      cursor,
      status: f.status as RequirementListStatus | undefined,
      cycle: f.cycle,
    }),
  );
}

const requirementLists = listDataset({
  name: 'requirement-lists',
  title: words('Requirement lists', 'Listes de besoins'),
  operation: 'requirements.read',
  filters: ['status', 'cycle'],
  statuses: REQUIREMENT_LIST_STATUSES,
  columns: [
    col('id', COLUMN.id, 'integer'),
    col('cycle', COLUMN.cycle),
    col('title', COLUMN.title),
    col('status', COLUMN.status),
    col('itemCount', words('Items', 'Articles'), 'integer'),
    col('requested', words('Requested value', 'Valeur demandée'), 'money', { currency: 'USD' }),
    col('approved', words('Approved value', 'Valeur approuvée'), 'money', { currency: 'USD' }),
    col('submittedAt', words('Submitted at', 'Soumise le'), 'date'),
    col('validatedAt', words('Validated at', 'Validée le'), 'date'),
    col('approvedAt', words('Approved at', 'Approuvée le'), 'date'),
    col('closedAt', words('Closed at', 'Clôturée le'), 'date'),
    col('sourceNote', COLUMN.sourceNote),
    col('synthetic', COLUMN.synthetic, 'boolean'),
  ],
  async *rows(database, actor, f) {
    for await (const l of requirementListsOf(database, actor, f)) {
      yield {
        id: l.id,
        cycle: l.cycle,
        title: l.title,
        status: l.status,
        itemCount: l.itemCount,
        requested: l.totals.requestedUsdMinor,
        approved: l.totals.approvedUsdMinor,
        submittedAt: iso(l.submittedAt),
        validatedAt: iso(l.validatedAt),
        approvedAt: iso(l.approvedAt),
        closedAt: iso(l.closedAt),
        sourceNote: l.sourceNote,
        synthetic: l.synthetic,
      };
    }
  },
});

const requirementItems = listDataset({
  name: 'requirement-items',
  title: words('Requirement items', 'Articles des listes de besoins'),
  operation: 'requirements.read',
  filters: ['status', 'cycle'],
  statuses: REQUIREMENT_LIST_STATUSES,
  columns: [
    col('listId', words('List ID', 'Identifiant de la liste'), 'integer'),
    col('cycle', COLUMN.cycle),
    col('id', words('Item ID', 'Identifiant de l’article'), 'integer'),
    col('rank', words('Priority rank', 'Rang de priorité'), 'integer'),
    col('capabilityArea', COLUMN.capabilityArea),
    col('category', COLUMN.category),
    col('lethal', COLUMN.lethal, 'boolean'),
    col('requestedQuantity', words('Requested quantity', 'Quantité demandée'), 'integer'),
    col('approvedQuantity', words('Approved quantity', 'Quantité approuvée'), 'integer'),
    col('unit', COLUMN.unit),
    col('estimatedUnitCost', words('Estimated unit cost', 'Coût unitaire estimé'), 'money', {
      currency: 'USD',
    }),
    col('description', COLUMN.description),
    col('justification', words('Justification', 'Justification')),
    col('quantityStep', words('Packaged in steps of', 'Conditionné par multiples de'), 'integer'),
    col('wholeOnly', words('Whole quantity only', 'Quantité entière uniquement'), 'boolean'),
    col('synthetic', COLUMN.synthetic, 'boolean'),
  ],
  async *rows(database, actor, f, lang) {
    for await (const summary of requirementListsOf(database, actor, f)) {
      const list = await getRequirementList(database, actor, summary.id);
      for (const item of list.items) {
        yield {
          listId: list.id,
          cycle: list.cycle,
          id: item.id,
          rank: item.priorityRank,
          capabilityArea: item.capabilityArea,
          category: item.category,
          lethal: item.lethal,
          requestedQuantity: item.requestedQuantity,
          approvedQuantity: item.approvedQuantity,
          unit: item.unit,
          estimatedUnitCost: restricted(item.estimatedUnitCostUsdMinor, lang),
          description: restricted(item.description, lang),
          justification: restricted(item.justification, lang),
          quantityStep: item.quantityStep,
          wholeOnly: item.wholeOnly,
          synthetic: item.synthetic,
        };
      }
    }
  },
});

// ---- Meetings ----

function meetingsOf(database: Database, actor: Actor, f: ExportFilters) {
  return everyPage((cursor) =>
    listMeetings(database, actor, {
      ...PAGE,
      cursor,
      kind: f.kind as MeetingKind | undefined,
      from: f.from,
      to: f.to,
    }),
  );
}

const HELD = words('held on (from/to)', 'tenue le (du/au)');

const meetings = listDataset({
  name: 'meetings',
  title: words('Meetings', 'Réunions'),
  operation: 'meetings.read',
  filters: ['kind', 'from', 'to'],
  kinds: MEETING_KINDS,
  dateMeaning: HELD,
  columns: [
    col('id', COLUMN.id, 'integer'),
    col('number', words('Number', 'Numéro'), 'integer'),
    col('kind', COLUMN.kind),
    col('heldOn', COLUMN.heldOn, 'date'),
    col('place', words('Place', 'Lieu')),
    col('title', COLUMN.title),
    col('chairs', words('Chairs', 'Présidence')),
    col('participants', words('Participants', 'Participants')),
    col('summary', words('Summary', 'Résumé')),
    col('sourceNote', COLUMN.sourceNote),
    col('synthetic', COLUMN.synthetic, 'boolean'),
  ],
  async *rows(database, actor, f) {
    for await (const m of meetingsOf(database, actor, f)) {
      yield {
        id: m.id,
        number: m.number,
        kind: m.kind,
        heldOn: m.heldOn,
        place: m.place,
        title: m.title,
        chairs: m.chairs.join('; '),
        participants: m.participants.join('; '),
        summary: m.summary,
        sourceNote: m.sourceNote,
        synthetic: m.synthetic,
      };
    }
  },
});

const announcements = listDataset({
  name: 'announcements',
  title: words('Meeting announcements', 'Annonces des réunions'),
  operation: 'meetings.read',
  filters: ['meetingId', 'kind', 'from', 'to'],
  kinds: MEETING_KINDS,
  dateMeaning: HELD,
  columns: [
    col('meeting', COLUMN.meeting, 'integer'),
    col('meetingId', words('Meeting ID', 'Identifiant de la réunion'), 'integer'),
    col('heldOn', COLUMN.heldOn, 'date'),
    col('id', words('Announcement ID', 'Identifiant de l’annonce'), 'integer'),
    col('party', COLUMN.party),
    col('text', words('Announcement', 'Annonce')),
    col('currency', COLUMN.currency),
    col('amount', words('Amount announced', 'Montant annoncé'), 'money', {
      currencyKey: 'currency',
    }),
    col(
      'contributionIds',
      words('Became contributions (IDs)', 'Contributions issues de l’annonce (identifiants)'),
    ),
    col('sourceNote', COLUMN.sourceNote),
    col('synthetic', COLUMN.synthetic, 'boolean'),
  ],
  async *rows(database, actor, f) {
    const ids: AsyncIterable<{ id: bigint }> =
      f.meetingId !== undefined
        ? (async function* () {
            yield { id: f.meetingId! };
          })()
        : meetingsOf(database, actor, f);
    for await (const { id } of ids) {
      const m = await getMeeting(database, actor, id);
      for (const a of m.announcements) {
        yield {
          meeting: m.number,
          meetingId: m.id,
          heldOn: m.heldOn,
          id: a.id,
          party: a.partyId,
          text: a.text,
          currency: a.currency,
          amount: a.amountMinor,
          contributionIds: a.contributionIds.join('; '),
          sourceNote: a.sourceNote,
          synthetic: a.synthetic,
        };
      }
    }
  },
});

// ---- Parties ----

const parties = listDataset({
  name: 'parties',
  title: words('Parties', 'Parties'),
  operation: 'reference.read',
  filters: ['kind'],
  kinds: PARTY_KINDS,
  columns: [
    col('id', COLUMN.id),
    col('kind', COLUMN.kind),
    col('natoMember', words('NATO member', 'Membre de l’OTAN'), 'boolean'),
    col('nameEn', words('Name (English)', 'Nom (anglais)')),
    col('nameFr', words('Name (French)', 'Nom (français)')),
    col('nameUk', words('Name (Ukrainian)', 'Nom (ukrainien)')),
    col('currency', words('Usual currency', 'Devise habituelle')),
  ],
  async *rows(database, actor, f) {
    const partiesRead = everyPage((cursor) =>
      listParties(database, actor, { ...PAGE, cursor, kind: f.kind as PartyKind | undefined }),
    );
    for await (const p of partiesRead) {
      yield {
        id: p.id,
        kind: p.kind,
        natoMember: p.natoMember,
        nameEn: p.names.en,
        nameFr: p.names.fr,
        nameUk: p.names.uk,
        currency: p.currency,
      };
    }
  },
});

/** Every list dataset, by the name used in the URL and the CLI. */
export const LIST_DATASETS: Readonly<Record<string, DatasetDefinition>> = {
  contributions,
  packages,
  'package-lines': packageLines,
  allocations,
  'requirement-lists': requirementLists,
  'requirement-items': requirementItems,
  shipments,
  receipts,
  discrepancies,
  meetings,
  announcements,
  parties,
};
