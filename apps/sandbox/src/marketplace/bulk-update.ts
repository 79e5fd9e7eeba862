import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ebayError, type EbayErrorDetail } from './ebay-errors';
import { BULK_UPDATE_MAX, PriceQuantity } from './inventory.dto';

/** One request of a bulk update: the quantity to set, or why it cannot be applied (status 400). */
export type BulkEntry =
  | { sku: string; quantity: number; errors?: undefined }
  | { sku?: string; quantity?: undefined; errors: EbayErrorDetail[] };

/** A bulk update call as read: refused whole (400), or one entry per request, in order. */
export type BulkUpdateRead = { refused: EbayErrorDetail } | { entries: BulkEntry[] };

const invalidValue = (field: string, info: string): EbayErrorDetail =>
  ebayError('inventory', 25709, `Invalid value for ${field}. ${info}`, {
    parameters: [{ name: 'fieldName', value: field }],
  });

function fieldErrors(errors: ValidationError[], prefix: string): EbayErrorDetail[] {
  return errors.flatMap((e) => {
    const field = `${prefix}${e.property}`;
    return [
      ...Object.values(e.constraints ?? {}).map((m) => invalidValue(field, m)),
      ...fieldErrors(e.children ?? [], `${field}.`),
    ];
  });
}

function readEntry(raw: unknown): BulkEntry {
  const sku =
    typeof raw === 'object' && raw !== null && typeof (raw as { sku?: unknown }).sku === 'string'
      ? (raw as { sku: string }).sku
      : undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { errors: [invalidValue('requests', 'Each request must be a PriceQuantity object.')] };
  const input = plainToInstance(PriceQuantity, raw);
  const errors = fieldErrors(validateSync(input, { whitelist: true }), '');
  if (errors.length === 0 && input.offers && input.offers.length > 0)
    errors.push(
      invalidValue(
        'offers',
        "The sandbox marketplace keeps no offers: update the inventory item's shipToLocationAvailability.quantity.",
      ),
    );
  return errors.length > 0
    ? { sku, errors }
    : { sku: input.sku, quantity: input.shipToLocationAvailability.quantity };
}

/**
 * Reads a bulkUpdatePriceQuantity body. The call is refused whole when `requests` is not an array of 1 to 25
 * (eBay's batch size) or names a SKU twice; otherwise each request is read on its own, so that a malformed
 * one is answered 400 in its place while the others apply.
 */
export function readBulkUpdate(body: unknown): BulkUpdateRead {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests))
    return { refused: invalidValue('requests', 'requests must be an array of PriceQuantity.') };
  if (requests.length === 0 || requests.length > BULK_UPDATE_MAX)
    return {
      refused: invalidValue(
        'requests',
        `A call updates 1 to ${BULK_UPDATE_MAX} inventory items; this one has ${requests.length}.`,
      ),
    };
  const entries = requests.map(readEntry);
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.sku === undefined) continue;
    if (seen.has(e.sku))
      return {
        refused: ebayError('inventory', 25734, 'SKU should be unique in the request.', {
          parameters: [{ name: 'sku', value: e.sku }],
        }),
      };
    seen.add(e.sku);
  }
  return { entries };
}
