import { ebayError, type EbayErrorDetail } from './ebay-errors';

/** Fulfillment statuses of an order (eBay's OrderFulfillmentStatus). */
export const FULFILLMENT_STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'FULFILLED'] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

/** What getOrders' `filter` selects: a date range on one date of the order, and fulfillment statuses. */
export interface OrderFilter {
  /** The date the range applies to: creationDate, or lastModifiedDate when only that was given. */
  date: 'creation' | 'lastModified';
  /** Inclusive bounds; `to` absent: up to now. */
  from: Date;
  to?: Date;
  statuses?: FulfillmentStatus[];
}

const DAY_MS = 86_400_000;
/** Without a date criterion, getOrders answers the orders created in the last 90 days. */
export const DEFAULT_WINDOW_MS = 90 * DAY_MS;
/** getOrders returns orders up to two years old, and a range spans at most two years. */
export const MAX_RANGE_YEARS = 2;
const MAX_RANGE_MS = MAX_RANGE_YEARS * 366 * DAY_MS;

// eBay's timestamp format: [YYYY]-[MM]-[DD]T[hh]:[mm]:[ss].[sss]Z (UTC), the milliseconds optional.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const STATUS_SETS = ['NOT_STARTED|IN_PROGRESS', 'FULFILLED|IN_PROGRESS'];

const fail = (errorId: number, message: string, parameters: { name: string; value: string }[] = []) =>
  ({ error: ebayError('fulfillment', errorId, message, { parameters }) }) as const;

function parseDate(text: string): Date | undefined {
  if (!TIMESTAMP.test(text)) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** `[from..to]` or `[from..]`: the bounds, or the eBay error for what is wrong. */
function parseRange(
  name: string,
  value: string,
  now: Date,
): { from: Date; to?: Date } | { error: EbayErrorDetail } {
  const m = /^\[([^\]]*)\]$/.exec(value);
  const parts = m?.[1].split('..');
  if (!m || parts?.length !== 2)
    return fail(30800, `Invalid filter value ${value} for filter ${name}`, [
      { name: 'fieldvalue', value },
      { name: 'fieldname', value: name },
    ]);
  const [fromText, toText] = parts;
  if (fromText === '') return fail(30820, 'Start date is missing');
  const from = parseDate(fromText);
  const to = toText === '' ? undefined : parseDate(toText);
  if (!from || (toText !== '' && !to)) return fail(30810, 'Invalid date format');
  if (from > now || (to && to > now)) return fail(30850, "Start and end dates can't be in the future");
  if (to && from > to) return fail(30840, 'Start date should be before end date');
  if ((to ?? now).getTime() - from.getTime() > MAX_RANGE_MS)
    return fail(
      30830,
      `Time range between start date and end date must be within '${MAX_RANGE_YEARS}' years.`,
    );
  return to ? { from, to } : { from };
}

/**
 * Reads getOrders' `filter`: comma-separated criteria `creationdate:[…]`, `lastmodifieddate:[…]` and
 * `orderfulfillmentstatus:{NOT_STARTED|IN_PROGRESS}` or `{FULFILLED|IN_PROGRESS}`, with eBay's errors (30700
 * to 30850). With both dates only creationdate counts; with neither, the orders created in the last 90 days.
 */
export function parseOrderFilter(
  filter: string | undefined,
  now: Date,
): { filter: OrderFilter } | { error: EbayErrorDetail } {
  let creation: { from: Date; to?: Date } | undefined;
  let modified: { from: Date; to?: Date } | undefined;
  let statuses: FulfillmentStatus[] | undefined;
  for (const criterion of filter === undefined || filter === '' ? [] : filter.split(',')) {
    const colon = criterion.indexOf(':');
    const name = colon < 0 ? criterion : criterion.slice(0, colon);
    const value = colon < 0 ? '' : criterion.slice(colon + 1);
    switch (name) {
      case 'creationdate':
      case 'lastmodifieddate': {
        const range = parseRange(name, value, now);
        if ('error' in range) return range;
        if (name === 'creationdate') creation = range;
        else modified = range;
        break;
      }
      case 'orderfulfillmentstatus': {
        const set = /^\{(.*)\}$/.exec(value)?.[1];
        if (set === undefined || !STATUS_SETS.includes(set))
          return fail(30800, `Invalid filter value ${value} for filter ${name}`, [
            { name: 'fieldvalue', value },
            { name: 'fieldname', value: name },
          ]);
        statuses = set.split('|') as FulfillmentStatus[];
        break;
      }
      default:
        return fail(30700, `Invalid filter name: ${name}`, [{ name: 'fieldname', value: name }]);
    }
  }
  const range = creation ?? modified;
  return {
    filter: {
      date: creation || !modified ? 'creation' : 'lastModified',
      from: range?.from ?? new Date(now.getTime() - DEFAULT_WINDOW_MS),
      ...(range?.to ? { to: range.to } : {}),
      ...(statuses ? { statuses } : {}),
    },
  };
}
