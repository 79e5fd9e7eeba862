import { ProblemError } from './problem';
import { toProblem } from './problem.filter';
import { isDependencyUnavailable, retryAfterHeader, serviceUnavailable } from './unavailable';

const pgError = (code: string, message = 'pg error') => Object.assign(new Error(message), { code });

describe('isDependencyUnavailable', () => {
  it.each([
    [
      'a backend terminated by a restart (57P01)',
      pgError('57P01', 'terminating connection due to administrator command'),
    ],
    ['the server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['a connection failure (08006)', pgError('08006')],
    ['too many connections (53300)', pgError('53300')],
    ['a refused connection', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a socket that ended', new Error('Connection terminated unexpectedly')],
    ['a client already broken', new Error('Client has encountered a connection error and is not queryable')],
    ['a pool that waited too long for a connection', new Error('timeout exceeded when trying to connect')],
    [
      'Redis down under a fail-fast client',
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    ],
    ['Redis connection closed', new Error('Connection is closed.')],
    ['Redis loading its data', new Error('LOADING Redis is loading the dataset in memory')],
    ['a Redis replica after a failover', new Error("READONLY You can't write against a read only replica.")],
    [
      'a TypeORM query error around a driver error',
      Object.assign(new Error('QueryFailedError'), { driverError: pgError('57P01') }),
    ],
    ['an error with its cause', new Error('could not reserve', { cause: pgError('ECONNRESET') })],
    ['a refused dual-stack connect', new AggregateError([pgError('ECONNREFUSED')])],
  ])('is true for %s', (_label, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
    ['an invalid input', pgError('22P02', 'invalid input syntax for type uuid')],
    ['a serialization failure', pgError('40001')],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a problem error', ProblemError.of(409, 'insufficient-stock', 'not enough')],
    ['not an error', 'Connection terminated'],
    ['null', null],
  ])('is false for %s', (_label, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });

  it('does not loop on a cause that points to itself', () => {
    const err = new Error('x') as Error & { cause?: unknown };
    err.cause = err;
    expect(isDependencyUnavailable(err)).toBe(false);
  });
});

describe('the problem of an unavailable dependency', () => {
  it('is a 503 service-unavailable with retryAfter, whatever the driver said', () => {
    const p = toProblem(pgError('57P01', 'terminating connection due to administrator command'), []);
    expect(p).toEqual(serviceUnavailable());
    expect(p).toMatchObject({ status: 503, retryAfter: 1 });
    expect(p.type).toMatch(/\/service-unavailable$/);
    expect(JSON.stringify(p)).not.toContain('administrator');
  });

  it('leaves other errors as they were', () => {
    expect(toProblem(pgError('23505'), []).status).toBe(500);
  });

  it('gives the Retry-After header from retryAfter', () => {
    expect(retryAfterHeader(serviceUnavailable())).toBe('1');
    expect(retryAfterHeader(ProblemError.of(503, 'x', 'y').problem)).toBeUndefined();
    expect(retryAfterHeader(ProblemError.of(503, 'x', 'y', { retryAfter: 'soon' }).problem)).toBeUndefined();
  });
});
