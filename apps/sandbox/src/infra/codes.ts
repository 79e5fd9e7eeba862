/** Item, site, warehouse and SKU codes of the stand-in backends. */
export const CODE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const CODE_MESSAGE = 'must be 1–64 letters, digits, ".", "_" or "-"';

/** An order reference the WMS keys outbound orders by (a UUID, an OMS order number, …); safe in a URL path. */
export const ORDER_REF_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const ORDER_REF_MESSAGE = 'must be 1–128 letters, digits, ".", "_", ":" or "-"';
