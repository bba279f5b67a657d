/** Roles carried in access tokens (PRODUCT.md, "Duties"). Least privilege: a route allows roles by name. */
export const ROLES = ['analyst', 'officer', 'partner', 'ingest', 'admin'] as const;
export type Role = (typeof ROLES)[number];
