import { EXTERNAL_MOVEMENT_KINDS, kindRule, relativeDeltas, validateQuantity } from './movement-kinds';
import { canonicalJson } from './reservations';
import { ledgerErrorStatus } from './ledger.error';

describe('movement kinds', () => {
  it('gives every external kind a rule', () => {
    for (const kind of EXTERNAL_MOVEMENT_KINDS) expect(kindRule(kind)).toBeDefined();
  });

  it('turns a disposal of damaged stock into −damaged and −on hand', () => {
    expect(relativeDeltas(kindRule('dispose-damaged'), 3)).toEqual({ damaged: -3, onHand: -3 });
    expect(relativeDeltas(kindRule('receive'), 4)).toEqual({ onHand: 4 });
  });

  it('takes shipped and transferred-out units out of on hand and puts transferred-in units in', () => {
    expect(relativeDeltas(kindRule('ship'), 2)).toEqual({ onHand: -2 });
    expect(relativeDeltas(kindRule('transfer-out'), 5)).toEqual({ onHand: -5 });
    expect(relativeDeltas(kindRule('transfer-in'), 5)).toEqual({ onHand: 5 });
  });

  it('refuses quantities that do not fit the kind', () => {
    expect(validateQuantity(kindRule('receive'), 0)).toMatch(/greater than 0/);
    expect(validateQuantity(kindRule('receive'), -1)).toMatch(/greater than 0/);
    expect(validateQuantity(kindRule('adjust'), 0)).toMatch(/not be 0/);
    expect(validateQuantity(kindRule('adjust'), -5)).toBeNull();
    expect(validateQuantity(kindRule('count'), 0)).toBeNull();
    expect(validateQuantity(kindRule('count'), -1)).toMatch(/0 or more/);
    expect(validateQuantity(kindRule('receive'), 1.5)).toMatch(/integer/);
    expect(validateQuantity(kindRule('receive'), 2e9)).toMatch(/at most/);
  });
});

describe('canonicalJson', () => {
  it('is the same for objects whose keys come in another order', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe(canonicalJson({ a: [{ x: 1, y: 2 }], b: 1 }));
  });

  it('leaves out undefined members but keeps null ones', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });
});

describe('ledgerErrorStatus', () => {
  it('maps refusals to their HTTP statuses', () => {
    expect(ledgerErrorStatus('reservation-not-found')).toBe(404);
    expect(ledgerErrorStatus('idempotency-key-reused')).toBe(422);
    expect(ledgerErrorStatus('idempotency-key-in-flight')).toBe(409);
    expect(ledgerErrorStatus('invariant-violation')).toBe(409);
  });
});
