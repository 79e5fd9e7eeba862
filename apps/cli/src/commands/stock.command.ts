import { randomUUID } from 'node:crypto';
import { availableToSell, type StockLevel } from '@stockbridge/canonical';
import { LedgerError } from '@stockbridge/ledger';
import { publishAfterChange } from '../availability-publishing';
import type { CliServices } from '../cli-services';
import { UsageError } from '../cli.error';
import { type Column, formatTable, shortTime } from '../output';
import type { Command, CommandContext } from './command';

const LEVEL_COLUMNS: Column[] = [
  { title: 'location' },
  { title: 'type' },
  { title: 'on hand', align: 'right' },
  { title: 'reserved', align: 'right' },
  { title: 'allocated', align: 'right' },
  { title: 'damaged', align: 'right' },
  { title: 'qc', align: 'right' },
  { title: 'incoming', align: 'right' },
  { title: 'safety', align: 'right' },
  { title: 'oversold', align: 'right' },
  { title: 'available', align: 'right' },
  { title: 'updated' },
];

function levelCells(location: string, type: string, l: StockLevel | undefined): string[] {
  if (!l) return [location, type, '0', '0', '0', '0', '0', '0', '0', '0', '0', 'never'];
  return [
    location,
    type,
    ...[
      l.onHand,
      l.reserved,
      l.allocated,
      l.damaged,
      l.qualityControl,
      l.incoming,
      l.safetyStock,
      l.oversold,
      availableToSell(l),
    ].map(String),
    shortTime(l.updatedAt),
  ];
}

function parseQuantity(text: string, signed: boolean, command: string): number {
  const pattern = signed ? /^[+-]?\d+$/ : /^\d+$/;
  const value = Number(text);
  if (!pattern.test(text) || !Number.isSafeInteger(value)) {
    throw new UsageError(
      `quantity must be a whole number${signed ? ' such as 5 or -3' : ' ≥ 0'}, got "${text}"`,
      command,
    );
  }
  return value;
}

async function locationTypes(services: CliServices): Promise<Map<string, string>> {
  const res = await services.db.query<{ code: string; type: string }>(
    `SELECT code, type FROM locations ORDER BY CASE type WHEN 'warehouse' THEN 0 ELSE 1 END, code`,
  );
  return new Map(res.rows.map((r) => [r.code, r.type]));
}

async function channelLine(services: CliServices, sku: string): Promise<string> {
  const figures = await services.availability.compute([sku]);
  if (figures.length === 0) return 'channel availability: no channels';
  // A channel whose data is older than its staleness limit shows its stale figure, as the storefront would.
  const shown = figures.map((f) =>
    f.staleAt && f.staleAt <= f.asOf
      ? `${f.channel} ${f.staleAvailable} (stale)`
      : `${f.channel} ${f.available}`,
  );
  return `channel availability: ${shown.join(' · ')}`;
}

async function move(ctx: CommandContext, kind: 'count' | 'adjust'): Promise<void> {
  const { args, options, out, services } = ctx;
  const [sku, location, quantityText] = args;
  const command = kind === 'count' ? 'stock set' : 'stock adjust';
  const quantity = parseQuantity(quantityText, kind === 'adjust', command);
  const eventId = randomUUID();
  const outcome = await services.movements.apply({
    kind,
    sku,
    location,
    quantity,
    sourceSystem: 'cli',
    sourceEventId: eventId,
    correlationId: eventId,
    reason: typeof options.reason === 'string' ? options.reason : `${command} from the CLI`,
  });
  const delta = outcome.deltas.onHand ?? 0;
  const before = outcome.level.onHand - delta;
  // A count settles what the store's tills oversold (docs/inventory-model.md#store-transactions).
  const settled = -(outcome.deltas.oversold ?? 0);
  out.line(
    `${kind === 'count' ? 'counted' : 'adjusted'} ${sku} at ${location}: on hand ${before} → ${outcome.level.onHand} ` +
      `(${delta >= 0 ? '+' : ''}${delta}, movement ${outcome.movementId}, event ${eventId})` +
      (settled > 0 ? `; oversold ${settled} → 0` : ''),
  );
  const types = await locationTypes(services);
  out.lines(formatTable(LEVEL_COLUMNS, [levelCells(location, types.get(location) ?? '', outcome.level)]));
  await publishAfterChange(services, out, [sku]);
  out.line(await channelLine(services, sku));
}

export const stockSetCommand: Command = {
  name: 'stock set',
  synopsis: '<sku> <location> <quantity> [--reason <text>]',
  summary: 'count: set on hand at a location to an absolute quantity',
  args: ['sku', 'location', 'quantity'],
  options: { reason: 'string' },
  publishes: true,
  run: (ctx) => move(ctx, 'count'),
};

export const stockAdjustCommand: Command = {
  name: 'stock adjust',
  synopsis: '<sku> <location> <±quantity> [--reason <text>]',
  summary: 'adjust on hand at a location by a signed quantity',
  args: ['sku', 'location', 'quantity'],
  options: { reason: 'string' },
  publishes: true,
  run: (ctx) => move(ctx, 'adjust'),
};

export const stockShowCommand: Command = {
  name: 'stock show',
  synopsis: '<sku>',
  summary: 'the stock levels of a SKU at every location, and its channel availability',
  args: ['sku'],
  async run({ args: [sku], out, services }) {
    const res = await services.db.query<{ name: string; price_cents: string }>(
      'SELECT name, price_cents FROM skus WHERE sku = $1',
      [sku],
    );
    if (res.rows.length === 0) throw new LedgerError('unknown-sku', `Unknown SKU "${sku}".`, { skus: [sku] });
    const { name, price_cents } = res.rows[0];
    out.line(`${sku}  ${name}  (price ${(Number(price_cents) / 100).toFixed(2)})`);
    const levels = new Map((await services.movements.levels({ sku })).map((l) => [l.location, l]));
    const types = await locationTypes(services);
    const rows = [...types].map(([code, type]) => levelCells(code, type, levels.get(code)));
    const sum = (pick: (l: StockLevel) => number) =>
      String([...levels.values()].reduce((n, l) => n + pick(l), 0));
    rows.push([
      'total',
      '',
      sum((l) => l.onHand),
      sum((l) => l.reserved),
      sum((l) => l.allocated),
      sum((l) => l.damaged),
      sum((l) => l.qualityControl),
      sum((l) => l.incoming),
      sum((l) => l.safetyStock),
      sum((l) => l.oversold),
      sum((l) => availableToSell(l)),
      '',
    ]);
    out.lines(formatTable(LEVEL_COLUMNS, rows));
    out.line(await channelLine(services, sku));
  },
};
