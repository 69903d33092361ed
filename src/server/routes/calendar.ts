// The submission window calendar (reference §6): public to read — providers plan their submissions by it — and kept
// by the admin, who records the exact NHS dates of a period when NHS England moves a window (bank holidays).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadCalendar, setPeriodWindows, windowsFor } from '../../store/windows.js';
import type { ServerContext } from '../context.js';
import { period } from './params.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD');
const windowOf = z.tuple([day, day]);
const windows = z.object({ primary: windowOf, refresh: windowOf });

export function calendarRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/calendar/:period',
    { config: { access: { public: true } }, schema: { summary: "A period's Primary and Refresh windows (public): the recorded NHS dates, else the rule (1st to the close day of the next months)", params: z.object({ period }) } },
    async (request) => {
      const calendar = loadCalendar(ctx.dataDir);
      return { period: request.params.period, recorded: calendar.windows[request.params.period] !== undefined, closeDay: calendar.closeDay, ...windowsFor(request.params.period, calendar) };
    },
  );
  r.put(
    '/api/v1/calendar/:period',
    { config: { access: { roles: ['admin'] as const } }, schema: { summary: "Record a period's exact NHS window dates (admin)", params: z.object({ period }), body: windows } },
    async (request) => {
      const calendar = setPeriodWindows(ctx.dataDir, request.params.period, request.body);
      return { period: request.params.period, recorded: true, closeDay: calendar.closeDay, ...windowsFor(request.params.period, calendar) };
    },
  );
}
