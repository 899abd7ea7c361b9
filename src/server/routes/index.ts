/** The route table: every API route, with its access declaration (see route.ts). */
import type { RouteDef } from '../route.js';
import { adminRoutes } from './admin.js';
import { authRoutes } from './auth.js';
import { readRoutes } from './read.js';

/** All API routes. */
export const ROUTES: readonly RouteDef[] = [...authRoutes, ...readRoutes, ...adminRoutes];
