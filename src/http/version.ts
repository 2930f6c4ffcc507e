/** The product version, read once from package.json (reported by health and the OpenAPI info). */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const PackageJson = z.object({ name: z.string(), version: z.string() });

const packageJson = PackageJson.parse(
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')),
);

export const PACKAGE_NAME = packageJson.name;
export const PACKAGE_VERSION = packageJson.version;
