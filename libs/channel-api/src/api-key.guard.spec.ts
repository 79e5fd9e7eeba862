import { Controller, type ExecutionContext, Get, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiClient } from '@stockbridge/api-keys';
import { ProblemError } from '@stockbridge/app-platform';
import type { ApiScope } from '@stockbridge/canonical';
import { ActsForStore, ApiKeyGuard, RequiresScope } from './api-key.guard';

@Controller('v1/stores/:store/stock')
@ActsForStore()
class StoreRoutes {
  @Get()
  @RequiresScope('pos:stock:read')
  read(): void {}
}

@Controller('v1/availability')
class ChannelRoutes {
  @Get()
  @RequiresScope('availability:read')
  read(): void {}
}

const client = (store: string | null, scopes: ApiScope[]): ApiClient => ({
  id: 'c1',
  name: 'till',
  channel: 'pos',
  store,
  scopes,
  keyPrefix: 'sb_pos_abcd',
  createdAt: new Date(),
  revokedAt: null,
});

/** What Nest hands the guard for a request to `routes#read`. */
function context(routes: Type, request: object): ExecutionContext {
  return {
    getHandler: () => (routes.prototype as { read: () => void }).read,
    getClass: () => routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

function outcome(routes: Type, request: object): { status: number; detail: string } | boolean {
  try {
    return new ApiKeyGuard(new Reflector()).canActivate(context(routes, request));
  } catch (err) {
    if (err instanceof ProblemError) return { status: err.problem.status, detail: err.problem.detail };
    throw err;
  }
}

describe('ApiKeyGuard', () => {
  it("lets a store's key with the scope act for its own store", () => {
    expect(
      outcome(StoreRoutes, {
        client: client('STORE-NYC', ['pos:stock:read']),
        params: { store: 'STORE-NYC' },
      }),
    ).toBe(true);
  });

  it('refuses another store, and a key bound to no store, with 403 before looking at scopes', () => {
    expect(
      outcome(StoreRoutes, {
        client: client('STORE-NYC', ['pos:stock:read']),
        params: { store: 'STORE-BOS' },
      }),
    ).toEqual({
      status: 403,
      detail: 'This API key is bound to store "STORE-NYC"; it cannot act for another store.',
    });
    expect(
      outcome(StoreRoutes, { client: client(null, ['pos:stock:read']), params: { store: 'STORE-NYC' } }),
    ).toEqual({
      status: 403,
      detail: 'This API key is not bound to a store; a store’s operations need a key issued for that store.',
    });
  });

  it('refuses a key without the scope, naming it', () => {
    expect(
      outcome(StoreRoutes, {
        client: client('STORE-NYC', ['pos:transactions']),
        params: { store: 'STORE-NYC' },
      }),
    ).toEqual({ status: 403, detail: 'This API key lacks the "pos:stock:read" scope.' });
  });

  it('does not ask for a store on a channel route, and refuses a request the gate did not authenticate', () => {
    expect(outcome(ChannelRoutes, { client: client(null, ['availability:read']), params: {} })).toBe(true);
    expect(outcome(ChannelRoutes, { params: {} })).toEqual({
      status: 401,
      detail: 'Send your API key as "Authorization: Bearer <key>".',
    });
  });
});
