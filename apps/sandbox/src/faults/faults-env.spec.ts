import { NO_FAULTS } from './faults';
import { parseFaultsEnv } from './faults-env';

describe('parseFaultsEnv', () => {
  it('reads faults per backend and leaves the others at zero', () => {
    const { faults, problems } = parseFaultsEnv(
      '{"erp":{"latencyMs":50,"outage":false},"oms":{"errorRate":0.5}}',
    );
    expect(problems).toEqual([]);
    expect(faults.erp).toEqual({ ...NO_FAULTS, latencyMs: 50 });
    expect(faults.oms).toEqual({ ...NO_FAULTS, errorRate: 0.5 });
    expect(faults.wms).toEqual(NO_FAULTS);
  });

  it('reads a count of failures to come, and refuses a negative or fractional one', () => {
    expect(parseFaultsEnv('{"erp":{"failNext":2}}').faults.erp).toEqual({ ...NO_FAULTS, failNext: 2 });
    expect(parseFaultsEnv('{"erp":{"failNext":-1}}').problems).toEqual([
      expect.stringContaining('erp.failNext must not be less than 0'),
    ]);
    expect(parseFaultsEnv('{"erp":{"failNext":1.5}}').problems).toEqual([
      expect.stringContaining('erp.failNext must be an integer'),
    ]);
  });

  it('names every bad field, unknown backend and unknown fault', () => {
    const { problems } = parseFaultsEnv(
      '{"erp":{"errorRate":2,"latencyMs":"x"},"crm":{},"wms":{"slow":true}}',
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('erp.errorRate must not be greater than 1'),
        expect.stringMatching(/^erp\.latencyMs/),
        expect.stringContaining('"crm" is not a backend'),
        expect.stringContaining('wms.property slow should not exist'),
      ]),
    );
  });

  it('refuses text that is not a JSON object', () => {
    expect(parseFaultsEnv('{erp').problems).toEqual(['is not valid JSON']);
    expect(parseFaultsEnv('[1]').problems[0]).toMatch(/must be a JSON object/);
  });
});
