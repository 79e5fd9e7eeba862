import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { problem, ProblemError, ProblemMapper } from './problem';
import { toProblem } from './problem.filter';

describe('toProblem', () => {
  it('keeps a ProblemError as it is', () => {
    const p = problem(409, 'insufficient-stock', 'short', { shortages: [] });
    expect(toProblem(new ProblemError(p), [])).toBe(p);
  });

  it('lists every validation message of the ValidationPipe', () => {
    const p = toProblem(
      new BadRequestException({ message: ['a must be an integer', 'b should not exist'] }),
      [],
    );
    expect(p).toMatchObject({
      status: 400,
      type: expect.stringMatching(/validation-failed$/),
      detail: 'a must be an integer; b should not exist',
    });
    expect(p.errors).toEqual(['a must be an integer', 'b should not exist']);
  });

  it('maps Fastify body errors wrapped by Nest to their own problem types', () => {
    const wrapped = new HttpException('too large', 413, {
      cause: Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }),
    });
    expect(toProblem(wrapped, [])).toMatchObject({
      status: 413,
      type: expect.stringMatching(/body-too-large$/),
    });
  });

  it('hides unknown errors behind a generic 500 without their message', () => {
    const p = toProblem(new Error('relation "secret_table" does not exist'), []);
    expect(p.status).toBe(500);
    expect(JSON.stringify(p)).not.toContain('secret_table');
  });

  it('asks the app mappers before the generic rules', () => {
    class Mapper extends ProblemMapper {
      map(error: unknown) {
        return error instanceof RangeError ? problem(422, 'out-of-range', error.message) : undefined;
      }
    }
    expect(toProblem(new RangeError('too far'), [new Mapper()])).toMatchObject({
      status: 422,
      detail: 'too far',
    });
    expect(toProblem(new NotFoundException(), [new Mapper()])).toMatchObject({ status: 404 });
  });

  it('never lets an extension member override a standard one', () => {
    expect(problem(409, 'x', 'detail', { status: 'released', title: 'nope' })).toMatchObject({
      status: 409,
      title: 'Conflict',
    });
  });
});
