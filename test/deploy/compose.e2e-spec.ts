import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';

const DOCKER = path.resolve(__dirname, '../../docker');
const raw = readFileSync(path.join(DOCKER, 'compose.yaml'), 'utf8');

interface Service {
  environment?: Record<string, unknown>;
  ports?: unknown[];
  expose?: unknown[];
}

/** YAML merge keys (`<<: *env`) resolved, as compose does. */
function merged(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object') return {};
  const { '<<': base, ...own } = value as Record<string, unknown>;
  return { ...merged(base), ...own };
}

const compose = load(raw) as { services: Record<string, Service> };
const services = Object.fromEntries(
  Object.entries(compose.services).map(([name, s]) => [
    name,
    { ...merged(s), environment: merged(s.environment) },
  ]),
) as Record<string, Service & { environment: Record<string, unknown> }>;

/** A variable that carries a secret, by its name (a URL is checked for a password in it). */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|API_KEY|_AUTH)S?$/;
const SECRET_EXCEPTIONS = new Set(['BACKEND_AUTH']); // the scheme's name (oauth2, basic, …), not a secret
const REQUIRED_REF = /\$\{([A-Z_][A-Z0-9_]*):\?[^}]+\}/g;

/** docker/compose.yaml: every secret is required (never defaulted), and only the edge is published. */
describe('docker compose file', () => {
  it('gives no secret-like variable a value of its own: each is a required ${VAR:?...} reference', () => {
    const offenders: string[] = [];
    for (const [service, s] of Object.entries(services)) {
      for (const [name, value] of Object.entries(s.environment)) {
        const text = String(value);
        const secretName = SECRET_NAME.test(name) && !SECRET_EXCEPTIONS.has(name);
        const urlWithPassword = /^[a-z]+:\/\/[^/@:]+:([^@]+)@/.exec(text);
        if (urlWithPassword && !/^\$\{[A-Z_][A-Z0-9_]*:\?[^}]+\}$/.test(urlWithPassword[1]))
          offenders.push(`${service}.${name}: the URL's password is written out`);
        if (!secretName) continue;
        // What is left once the required references are taken out must not hold a secret: at most a
        // scheme and a user or client name, never the secret part after the last colon.
        const refs = [...text.matchAll(REQUIRED_REF)];
        const rest = text.replace(REQUIRED_REF, '');
        if (refs.length === 0) offenders.push(`${service}.${name}: no required \${VAR:?...} reference`);
        else if (!text.endsWith('}')) offenders.push(`${service}.${name}: text after the secret reference`);
        if (/[A-Za-z0-9]{16,}/.test(rest)) offenders.push(`${service}.${name}: a literal secret "${rest}"`);
      }
    }
    // No reference anywhere has a default (`${VAR:-x}`, `${VAR-x}`), nor is merely optional (`${VAR}`).
    for (const m of raw.matchAll(/\$\{([A-Z_][A-Z0-9_]*)(:?[-+=]|\})/g)) offenders.push(`\${${m[1]}${m[2]}`);
    expect(offenders).toEqual([]);
  });

  it('lists every required variable in docker/secrets.example.env without a value, and the generator makes them all', () => {
    const required = new Set([...raw.matchAll(REQUIRED_REF)].map((m) => m[1]));
    const example = readFileSync(path.join(DOCKER, 'secrets.example.env'), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l));
    expect(new Set(example.map((l) => l.split('=')[0]))).toEqual(required);
    expect(example.filter((l) => !l.endsWith('='))).toEqual([]);

    const generate = () =>
      Object.fromEntries(
        execFileSync('sh', [path.join(DOCKER, 'generate-secrets.sh')], { encoding: 'utf8' })
          .trim()
          .split('\n')
          .map((l) => l.split('=') as [string, string]),
      );
    const first = generate();
    const second = generate();
    expect(new Set(Object.keys(first))).toEqual(required);
    for (const [name, value] of Object.entries(first)) {
      expect({ name, value }).toEqual({ name, value: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(second[name]).not.toBe(value);
    }
  });

  it('publishes only the edge ports: the channel APIs partners and tills call (storefront, POS) and the ops API', () => {
    const published = Object.entries(services)
      .filter(([, s]) => (s.ports ?? []).length > 0)
      .map(([name, s]) => [name, s.ports]);
    expect(published).toEqual([
      ['experience-storefront', ['3000:3000']],
      ['experience-pos', ['3030:3030']],
      ['ops', ['3020:3020']],
    ]);
  });

  it('configures the sandbox admin token and each backend credential on both sides', () => {
    const env = (service: string) => services[service].environment;
    expect(env('sandbox').SANDBOX_ADMIN_TOKEN).toMatch(/^\$\{SANDBOX_ADMIN_TOKEN:\?/);
    expect(env('demo-backends').SANDBOX_ADMIN_TOKEN).toBe(env('sandbox').SANDBOX_ADMIN_TOKEN);
    expect(env('system-erp')).toMatchObject({ BACKEND_AUTH: 'oauth2', BACKEND_CLIENT_ID: 'stockbridge-erp' });
    expect(env('sandbox').SANDBOX_ERP_AUTH).toBe(
      `oauth2:stockbridge-erp:${String(env('system-erp').BACKEND_CLIENT_SECRET)}`,
    );
    expect(env('system-wms')).toMatchObject({ BACKEND_AUTH: 'api-key', BACKEND_API_KEY_HEADER: 'X-Api-Key' });
    expect(env('sandbox').SANDBOX_WMS_AUTH).toBe(
      `api-key:X-Api-Key:${String(env('system-wms').BACKEND_API_KEY)}`,
    );
    expect(env('system-oms')).toMatchObject({ BACKEND_AUTH: 'basic', BACKEND_USERNAME: 'stockbridge' });
    expect(env('sandbox').SANDBOX_OMS_AUTH).toBe(
      `basic:stockbridge:${String(env('system-oms').BACKEND_PASSWORD)}`,
    );
    expect(env('sandbox').SANDBOX_WMS_WEBHOOK_SECRET).toBe(env('system-wms').WMS_WEBHOOK_SECRETS);
  });
});
