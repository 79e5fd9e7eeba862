import { LedgerFixture } from '../../../test/process/ledger-fixture';
import { type LedgerFaultPoint, LedgerFaults } from './ledger-faults';
import { fingerprint, Reservations } from './reservations';
import { SingleLocationFirstSourcing } from './sourcing.strategy';

/** What reserve and changeLines answer, how it is kept under an idempotency key, and the fault points. */
describe('hold outcomes', () => {
  let f: LedgerFixture;

  beforeAll(async () => {
    f = await LedgerFixture.start('ledgeroutcomes');
  });

  afterAll(async () => {
    await f?.stop();
  });

  const record = async (principal: string, key: string) => {
    const res = await f.db.query<{
      response_status: number;
      response_body: string;
      resource_id: string | null;
    }>(
      `SELECT response_status, response_body, resource_id FROM idempotency_records
       WHERE principal = $1 AND idempotency_key = $2`,
      [principal, key],
    );
    const [row] = res.rows;
    return {
      status: row.response_status,
      body: JSON.parse(row.response_body) as unknown,
      resourceId: row.resource_id,
    };
  };

  it('keeps held, changed and short under the key in the shape of the first answer, and replays the outcome', async () => {
    const { channel, sku } = await f.channel({ A: { L1: 3 } });
    const idem = (key: string) => ({
      principal: 'client:outcomes',
      key: `${channel}-${key}`,
      retentionHours: 1,
    });
    const reserve = (quantity: number, key: string) =>
      f.reservations.reserve({
        channel,
        lines: [{ sku: sku('A'), quantity }],
        ttlSeconds: 600,
        idempotency: idem(key),
      });

    const held = await reserve(2, 'held');
    expect(held).toMatchObject({ kind: 'held', replayed: false, changedSkus: [sku('A')] });
    if (held.kind !== 'held') return;
    expect(await record('client:outcomes', `${channel}-held`)).toEqual({
      status: 201,
      body: held.reservation,
      resourceId: held.reservation.id,
    });
    expect(await reserve(2, 'held')).toEqual({ ...held, replayed: true, changedSkus: [] });

    const short = await reserve(5, 'short');
    const shortages = [{ sku: sku('A'), requested: 5, available: 1 }];
    expect(short).toEqual({ kind: 'short', shortages, replayed: false, changedSkus: [] });
    expect(await record('client:outcomes', `${channel}-short`)).toEqual({
      status: 409,
      body: { code: 'insufficient-stock', shortages },
      resourceId: null,
    });
    expect(await reserve(5, 'short')).toEqual({ ...short, replayed: true });

    const changeTo = (quantity: number, key: string) =>
      f.reservations.changeLines({
        id: held.reservation.id,
        channel,
        lines: [{ sku: sku('A'), quantity }],
        idempotency: idem(key),
      });
    const changed = await changeTo(3, 'changed');
    expect(changed).toMatchObject({ kind: 'changed', replayed: false, changedSkus: [sku('A')] });
    if (changed.kind !== 'changed') return;
    expect(await record('client:outcomes', `${channel}-changed`)).toEqual({
      status: 200,
      body: changed.reservation,
      resourceId: held.reservation.id,
    });
    expect(await changeTo(3, 'changed')).toEqual({ ...changed, replayed: true, changedSkus: [] });
    const refused = await changeTo(9, 'refused');
    expect(refused).toMatchObject({
      kind: 'short',
      shortages: [{ sku: sku('A'), requested: 9, available: 3 }],
    });
    expect(await record('client:outcomes', `${channel}-refused`)).toMatchObject({
      status: 409,
      body: { code: 'insufficient-stock' },
      resourceId: held.reservation.id,
    });
    await f.expectConservation(channel);
  });

  it('replays a shortage recorded by an earlier version as the short outcome', async () => {
    const { channel, sku } = await f.channel({ A: { L1: 10 } });
    const cmd = {
      channel,
      lines: [{ sku: sku('A'), quantity: 1 }],
      ttlSeconds: 600,
      idempotency: { principal: 'client:old', key: `${channel}-old`, retentionHours: 1 },
    };
    const shortages = [{ sku: sku('A'), requested: 1, available: 0 }];
    await f.db.query(
      `INSERT INTO idempotency_records (principal, idempotency_key, fingerprint, response_status, response_body, expires_at)
       VALUES ($1, $2, $3, 409, $4, now() + interval '1 hour')`,
      [
        'client:old',
        `${channel}-old`,
        fingerprint(cmd),
        JSON.stringify({ code: 'insufficient-stock', shortages }),
      ],
    );
    expect(await f.reservations.reserve(cmd)).toEqual({
      kind: 'short',
      shortages,
      replayed: true,
      changedSkus: [],
    });
    expect(await f.reserved(sku('A'), 'L1')).toBe(0);
  });

  it('reaches the confirmation fault point of the faults given, once the confirmation committed', async () => {
    const { channel, sku } = await f.channel({ A: { L1: 5 } });
    // Each point with the reservation's status as read right when the point is reached.
    const reached: { point: LedgerFaultPoint; status: Promise<string> }[] = [];
    class Recorder extends LedgerFaults {
      reached(point: LedgerFaultPoint): void {
        const status = f.db
          .query<{ status: string }>(`SELECT status FROM reservations WHERE id = $1`, [r.id])
          .then((res) => res.rows[0].status);
        reached.push({ point, status });
      }
    }
    const armed = new Reservations(f.db, f.catalog, new SingleLocationFirstSourcing(), new Recorder());
    const r = await f.created({ channel, lines: [{ sku: sku('A'), quantity: 1 }], ttlSeconds: 600 });
    await armed.confirm(r.id, channel);
    expect(reached.map((x) => x.point)).toEqual(['reservation.after-confirm-commit']);
    expect(await reached[0].status).toBe('confirmed');
    // A repeat changes nothing and reaches nothing; without faults given, a confirmation reaches nothing.
    await armed.confirm(r.id, channel);
    expect(reached).toHaveLength(1);
    const other = await f.created({ channel, lines: [{ sku: sku('A'), quantity: 1 }], ttlSeconds: 600 });
    expect((await f.reservations.confirm(other.id, channel)).changed).toBe(true);
    expect(reached).toHaveLength(1);
  });
});
