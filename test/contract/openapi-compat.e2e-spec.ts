// The breaking-change check of the published documents (scripts/lib/openapi-compat.js, run by
// `node scripts/openapi.js check`): what it must flag and what it must let through.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { compareDocuments } from '../../scripts/lib/openapi-compat';

interface Schema {
  type?: string;
  $ref?: string;
  maxLength?: number;
  enum?: string[];
  properties?: Record<string, Schema>;
  required?: string[];
}
interface Operation {
  operationId: string;
  parameters: { name: string; in: string; required: boolean; schema: Schema }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}
interface Doc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Partial<Record<'get' | 'post', Operation>>>;
  components: {
    schemas: Record<string, Schema & { properties: Record<string, Schema>; required: string[] }>;
  };
}

/** A small v1 document in the shape the apps emit: a create operation and a read operation. */
function v1(): Doc {
  return {
    openapi: '3.0.0',
    info: { title: 'shop', version: '1.1.0' },
    paths: {
      '/v1/reservations': {
        post: {
          operationId: 'createReservation',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              schema: { type: 'string', maxLength: 255 },
            },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Create' } } },
          },
          responses: {
            '201': {
              description: 'Held',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Reservation' } } },
            },
          },
        },
      },
      '/v1/reservations/{id}': {
        get: {
          operationId: 'getReservation',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'The reservation',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Reservation' } } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Create: {
          type: 'object',
          properties: { sku: { type: 'string' }, quantity: { type: 'integer' } },
          required: ['sku', 'quantity'],
        },
        Reservation: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            quantity: { type: 'integer' },
            status: { type: 'string', enum: ['active', 'confirmed'] },
          },
          required: ['id', 'quantity', 'status'],
        },
      },
    },
  };
}

function changed(edit: (d: Doc) => void, version?: string): Doc {
  const d = v1();
  edit(d);
  if (version) d.info.version = version;
  return d;
}

describe('breaking-change check of the published documents', () => {
  it('flags a changed type of a v1 response field, unless the major version changes', async () => {
    const current = changed((d) => {
      d.components.schemas.Reservation.properties.quantity = { type: 'string' };
    }, '1.2.0');
    const result = await compareDocuments(v1(), current);
    expect(result.breaking.length).toBeGreaterThan(0);
    expect(result.versionProblem).toMatch(/breaking changes need a new major version/);

    const major = await compareDocuments(
      v1(),
      changed((d) => Object.assign(d, current), '2.0.0'),
    );
    expect(major.breaking.length).toBeGreaterThan(0);
    expect(major.versionProblem).toBeNull();
  });

  it('flags a removed response field', async () => {
    const current = changed((d) => {
      delete d.components.schemas.Reservation.properties.status;
      d.components.schemas.Reservation.required = ['id', 'quantity'];
    }, '1.2.0');
    const result = await compareDocuments(v1(), current);
    expect(result.breaking.join('\n')).toMatch(/response\.body/);
    expect(result.versionProblem).not.toBeNull();
  });

  it('flags a new required request property', async () => {
    const current = changed((d) => {
      d.components.schemas.Create.properties.channel = { type: 'string' };
      d.components.schemas.Create.required.push('channel');
    }, '1.2.0');
    const result = await compareDocuments(v1(), current);
    expect(result.breaking.join('\n')).toMatch(/request\.body/);
    expect(result.versionProblem).not.toBeNull();
  });

  it('flags a removed operation and a new required parameter', async () => {
    const removed = await compareDocuments(
      v1(),
      changed((d) => {
        delete d.paths['/v1/reservations/{id}'].get;
      }, '1.2.0'),
    );
    expect(removed.breaking.join('\n')).toMatch(/method\.remove|path\.remove/);

    const required = await compareDocuments(
      v1(),
      changed((d) => {
        d.paths['/v1/reservations/{id}'].get?.parameters.push({
          name: 'X-Channel',
          in: 'header',
          required: true,
          schema: { type: 'string' },
        });
      }, '1.2.0'),
    );
    expect(required.breaking).toContain('GET /v1/reservations/{id}: new required parameter header:x-channel');
  });

  it('flags a request parameter that accepts less than before', async () => {
    const result = await compareDocuments(
      v1(),
      changed((d) => {
        const header = d.paths['/v1/reservations'].post?.parameters[0];
        if (header) header.schema.maxLength = 64;
      }, '1.2.0'),
    );
    expect(result.breaking).toContain(
      'POST /v1/reservations: parameter header:idempotency-key accepts less (maxLength lowered)',
    );
  });

  it('passes an added optional response field with a new minor version', async () => {
    const current = changed((d) => {
      d.components.schemas.Reservation.properties.reference = { type: 'string' };
    }, '1.2.0');
    const result = await compareDocuments(v1(), current);
    expect(result.breaking).toEqual([]);
    expect(result.versionProblem).toBeNull();
  });

  it('passes an added optional request property with a new minor version (the apps refuse unknown properties)', async () => {
    const current = changed((d) => {
      d.components.schemas.Create.properties.reference = { type: 'string' };
    }, '1.2.0');
    const result = await compareDocuments(v1(), current);
    expect(result.breaking).toEqual([]);
    expect(result.versionProblem).toBeNull();
  });

  it('passes an added operation with a new minor version, and asks for one without it', async () => {
    const edit = (d: Doc) => {
      d.paths['/v1/reservations/{id}/extend'] = {
        post: {
          operationId: 'extendReservation',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'Extended',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Reservation' } } },
            },
          },
        },
      };
    };
    const bumped = await compareDocuments(v1(), changed(edit, '1.2.0'));
    expect(bumped.breaking).toEqual([]);
    expect(bumped.additive.join('\n')).toMatch(/path\.add|method\.add/);
    expect(bumped.versionProblem).toBeNull();

    const same = await compareDocuments(v1(), changed(edit));
    expect(same.versionProblem).toMatch(/additive changes need a new minor version/);
  });

  it('passes an unchanged document at the same version', async () => {
    const result = await compareDocuments(v1(), v1());
    expect(result).toEqual({ breaking: [], additive: [], versionProblem: null });
  });

  describe('on the published storefront document', () => {
    const read = (file: string) =>
      load(readFileSync(join(__dirname, '..', '..', 'openapi', file), 'utf8')) as {
        info: { version: string };
        components: { schemas: Record<string, { properties: Record<string, { type?: string }> }> };
      };

    it('passes the current document against the released one', async () => {
      const result = await compareDocuments(
        read('released/experience-storefront.yaml'),
        read('experience-storefront.yaml'),
      );
      expect(result.breaking).toEqual([]);
      expect(result.versionProblem).toBeNull();
    });

    it('fails a changed type of a v1 response field, even with a new minor version', async () => {
      const released = read('released/experience-storefront.yaml');
      const current = read('experience-storefront.yaml');
      current.components.schemas.StorefrontReservationLineView.properties.quantity = { type: 'string' };
      const [major, minor] = released.info.version.split('.').map(Number);
      current.info.version = `${major}.${minor + 1}.0`;
      const result = await compareDocuments(released, current);
      expect(result.breaking.join('\n')).toMatch(/response\.body\.scope/);
      expect(result.versionProblem).toMatch(/breaking changes need a new major version/);
    });
  });
});
