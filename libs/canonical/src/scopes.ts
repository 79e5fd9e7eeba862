/** What a storefront key may do (experience-storefront). */
export const STOREFRONT_SCOPES = ['availability:read', 'reservations:write'] as const;

/**
 * What a store's key may do (experience-pos): post its tills' transactions, read its stock and its neighbours',
 * reserve pickups and mark them collected or cancelled. Useful only on a key bound to a store.
 */
export const POS_SCOPES = ['pos:transactions', 'pos:stock:read', 'pos:pickups:write'] as const;

/** Every scope an API key can carry. */
export const API_SCOPES = [...STOREFRONT_SCOPES, ...POS_SCOPES] as const;
export type ApiScope = (typeof API_SCOPES)[number];
