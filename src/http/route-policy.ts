/**
 * The route table of the policy: every API route names the operation of `core/policy.ts` it
 * performs, or `public` (`OPTIONAL_ROUTE_OPERATIONS`: those of routes registered only when their
 * feature is configured). The app refuses to build when a route under /api/v1 has no entry, and
 * a hook checks the operation before input validation: no actor → 401, a role the policy does
 * not allow → 403. Services check again (and add the party rules): the route check is the first
 * line, not the only one. `tests/access/route-matrix.test.ts` walks every route × every role.
 */
import type { RouteOptions } from 'fastify';
import { authorize, type Operation } from '../core/policy.js';
import { actorOf, checkHook } from './request-context.js';

export type RouteOperation = Operation | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The operation of the policy table this route performs (set from ROUTE_OPERATIONS). */
    operation?: RouteOperation;
  }
}

/** `METHOD /api/v1/path` → operation. */
export const ROUTE_OPERATIONS: Record<string, RouteOperation> = {
  'GET /api/v1/health': 'public',
  // Identity: signing in is public; the rest acts on the caller's own sessions and tokens
  'GET /api/v1/auth/providers': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'sessions.manage',
  'GET /api/v1/auth/me': 'sessions.manage',
  'GET /api/v1/auth/sessions': 'sessions.manage',
  'DELETE /api/v1/auth/sessions/:id': 'sessions.manage',
  'GET /api/v1/auth/tokens': 'tokens.manage',
  'POST /api/v1/auth/tokens': 'tokens.manage',
  'DELETE /api/v1/auth/tokens/:id': 'tokens.manage',
  // Reference data
  'GET /api/v1/parties': 'reference.read',
  'GET /api/v1/parties/:id': 'reference.read',
  'PATCH /api/v1/parties/:id': 'reference.write',
  'GET /api/v1/capability-areas': 'reference.read',
  'GET /api/v1/fx/rate': 'fx.read',
  // Requirement lists
  'GET /api/v1/requirement-lists': 'requirements.read',
  'POST /api/v1/requirement-lists': 'requirements.write',
  'GET /api/v1/requirement-lists/approved-items': 'requirements.read',
  'GET /api/v1/requirement-lists/:id': 'requirements.read',
  'POST /api/v1/requirement-lists/:id/items': 'requirements.write',
  'PATCH /api/v1/requirement-lists/:id/items/:itemId': 'requirements.write',
  'DELETE /api/v1/requirement-lists/:id/items/:itemId': 'requirements.write',
  'PUT /api/v1/requirement-lists/:id/priorities': 'requirements.write',
  'PATCH /api/v1/requirement-lists/:id/items/:itemId/approved-quantity': 'requirements.validate',
  'POST /api/v1/requirement-lists/:id/submit': 'requirements.write',
  'POST /api/v1/requirement-lists/:id/validate': 'requirements.validate',
  'POST /api/v1/requirement-lists/:id/approve': 'requirements.approve',
  'POST /api/v1/requirement-lists/:id/close': 'requirements.close',
  'POST /api/v1/requirement-lists/:id/withdraw': 'requirements.withdraw',
  // Contributions
  'POST /api/v1/plans': 'plans.compute',
  'POST /api/v1/plans/accept': 'plans.accept',
  'GET /api/v1/contributions': 'contributions.read',
  'POST /api/v1/contributions': 'contributions.write',
  'GET /api/v1/contributions/:id': 'contributions.read',
  'GET /api/v1/contributions/:id/flow': 'contributions.read',
  'POST /api/v1/contributions/:id/commit': 'contributions.write',
  'POST /api/v1/contributions/:id/payments': 'contributions.confirm_payment',
  'POST /api/v1/contributions/:id/reduce': 'contributions.write',
  'POST /api/v1/contributions/:id/cancel': 'contributions.write',
  'POST /api/v1/contributions/:id/package-preference': 'contributions.write',
  // Packages
  'GET /api/v1/packages': 'packages.read',
  'POST /api/v1/packages': 'packages.write',
  'GET /api/v1/packages/:id': 'packages.read',
  'POST /api/v1/packages/:id/lines': 'packages.write',
  'DELETE /api/v1/packages/:id/lines/:lineId': 'packages.write',
  'POST /api/v1/packages/:id/open': 'packages.write',
  'POST /api/v1/packages/:id/allocations': 'packages.allocate',
  'POST /api/v1/packages/:id/authorize': 'packages.authorize',
  'POST /api/v1/packages/:id/disbursements': 'packages.disburse',
  'POST /api/v1/packages/:id/cancel': 'packages.write',
  'POST /api/v1/packages/:id/close': 'packages.close',
  // Deliveries
  'GET /api/v1/packages/:id/deliveries': 'packages.read',
  'POST /api/v1/packages/:id/shipments': 'shipments.write',
  'POST /api/v1/shipments/:id/status': 'shipments.write',
  'POST /api/v1/shipments/:id/receipt': 'receipts.write',
  'POST /api/v1/discrepancies/:id/resolve': 'discrepancies.resolve',
  // Meetings
  // Analyses (each with ?currency=USD|EUR&rateMode=value_date|fixed&rateDate&asOf), their
  // drill-down, exports of lists and analyses, the IATI file and the meeting briefing PDF
  'GET /api/v1/analytics/funnel': 'analytics.read',
  'GET /api/v1/analytics/burden-sharing': 'analytics.read',
  'GET /api/v1/analytics/coverage': 'analytics.read',
  'GET /api/v1/analytics/pace': 'analytics.read',
  'GET /api/v1/analytics/lead-times': 'analytics.read',
  'GET /api/v1/analytics/meetings/:id/follow-up': 'analytics.read',
  'GET /api/v1/analytics/context': 'analytics.read',
  'GET /api/v1/analytics/drill': 'analytics.read',
  'GET /api/v1/exports/iati': 'analytics.read',
  'GET /api/v1/exports/:dataset': 'analytics.read',
  'GET /api/v1/meetings/:id/briefing': 'reports.read',
  'GET /api/v1/meetings': 'meetings.read',
  'POST /api/v1/meetings': 'meetings.write',
  'GET /api/v1/meetings/:id': 'meetings.read',
  'PATCH /api/v1/meetings/:id': 'meetings.write',
  'GET /api/v1/meetings/:id/follow-up': 'meetings.read',
  'POST /api/v1/meetings/:id/announcements': 'meetings.write',
  'PUT /api/v1/meetings/:id/announcements/:announcementId/contributions/:contributionId':
    'meetings.write',
  'DELETE /api/v1/meetings/:id/announcements/:announcementId/contributions/:contributionId':
    'meetings.write',
  // Public figures: the latest summary is the one public read of data
  'GET /api/v1/public/summary': 'public',
  'POST /api/v1/public/snapshots': 'public.publish',
  'GET /api/v1/public/snapshots': 'public.history',
  // Audit log and integrity checks; users (administration)
  'GET /api/v1/audit/events': 'audit.read',
  'GET /api/v1/audit/events/:id': 'audit.read',
  'GET /api/v1/audit/verification': 'audit.verify',
  'GET /api/v1/users': 'users.manage',
  'POST /api/v1/users': 'users.manage',
  'GET /api/v1/users/:id': 'users.manage',
  'PATCH /api/v1/users/:id': 'users.manage',
};

/**
 * Routes that exist only when their feature is configured — sign-in with an OpenID provider
 * (`PURL_OIDC_*`) — with the same rule: registered, they must be here.
 */
export const OPTIONAL_ROUTE_OPERATIONS: Record<string, RouteOperation> = {
  'GET /api/v1/auth/oidc/login': 'public',
  'GET /api/v1/auth/oidc/callback': 'public',
};

export interface ApiRoute {
  method: string;
  url: string;
  operation: RouteOperation;
}

/** Gives each API route its operation, or fails the build naming the route without one. */
export function assignRouteOperation(
  route: RouteOptions,
  prefix: string,
  collected: ApiRoute[],
): void {
  if (!route.url.startsWith(prefix)) return;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  for (const method of methods) {
    // Fastify adds a HEAD route for every GET: it performs the GET's operation.
    const key = `${method === 'HEAD' ? 'GET' : method} ${route.url}`;
    // The table is the rule; a route registered outside the product (a test's probe) may name
    // its operation in its own config instead.
    const declared = (route.config as { operation?: RouteOperation } | undefined)?.operation;
    const operation = ROUTE_OPERATIONS[key] ?? OPTIONAL_ROUTE_OPERATIONS[key] ?? declared;
    if (!operation) {
      throw new Error(
        `API route ${key} has no entry in ROUTE_OPERATIONS (src/http/route-policy.ts): add one.`,
      );
    }
    route.config = { ...(route.config as object), operation } as RouteOptions['config'];
    if (method !== 'HEAD') collected.push({ method, url: route.url, operation });
  }
}

/** Runs before input validation: 401 without an actor, 403 for a role the policy refuses. */
export const checkRouteOperation = checkHook((request) => {
  const operation = request.routeOptions.config?.operation;
  if (operation === undefined || operation === 'public') return;
  authorize(actorOf(request), operation);
});
