/** Placeholder: routes of issue 5 land here. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDependencies } from '../app.js';

export const exportRoutes: FastifyPluginAsyncZod<AppDependencies> = async () => {};
