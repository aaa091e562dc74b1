import type { Contact } from '../contacts/contacts.ts';
import { iso } from '../clock.ts';
import type { AdminContact } from '../../api/admin.ts';

// What the admin route files share. It lives here, not in admin-routes.ts, so the route files that
// admin-routes.ts mounts do not import it back (no import cycle).

/**
 * The Hono env of every admin route: the signed-in admin who asks, and a POST's body as a JSON
 * object, parsed once before any route runs (no body reads as {}, as every action's fields are
 * optional or checked by the route). The CSV import reads its own body.
 */
export type AdminEnv = { Variables: { admin: Contact; body: Record<string, unknown> } };

/** A contact as the admin sees it. */
export const adminContact = (c: Contact): AdminContact => ({
  id: c.id,
  email: c.email,
  phone: c.phone,
  name: c.name,
  status: c.status,
  role: c.role,
  createdAt: iso(c.createdAt),
  emailVerifiedAt: iso(c.emailVerifiedAt),
  phoneVerifiedAt: iso(c.phoneVerifiedAt),
});
