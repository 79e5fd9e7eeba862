export const API_SCOPES = ['availability:read', 'reservations:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];
