/** Item, site, warehouse and SKU codes of the stand-in backends. */
export const CODE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const CODE_MESSAGE = 'must be 1–64 letters, digits, ".", "_" or "-"';
