import { ApiKeyStoreError } from '@stockbridge/api-keys';
import { API_SCOPES, type ApiScope, isUuid, POS_SCOPES, STOREFRONT_SCOPES } from '@stockbridge/canonical';
import { CliError, UsageError } from '../cli.error';
import { formatTable, shortTime } from '../output';
import type { Command } from './command';

const isPosScope = (s: string) => (POS_SCOPES as readonly string[]).includes(s);

/** The scopes asked for; by default a store's key gets the POS scopes, any other key the storefront's. */
function parseScopes(text: string | boolean | undefined, store: string | undefined): ApiScope[] {
  if (text === undefined || typeof text === 'boolean') return [...(store ? POS_SCOPES : STOREFRONT_SCOPES)];
  const scopes = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0 || scopes.length === 0) {
    throw new UsageError(
      `unknown scope ${unknown.map((s) => `"${s}"`).join(', ') || '(none given)'}; scopes are ${API_SCOPES.join(', ')}`,
      'clients create',
    );
  }
  if (!store && scopes.some(isPosScope)) {
    throw new UsageError(
      `${scopes.filter(isPosScope).join(', ')} act for one store: add --store <code>`,
      'clients create',
    );
  }
  return [...new Set(scopes)] as ApiScope[];
}

export const clientsCreateCommand: Command = {
  name: 'clients create',
  synopsis: `--channel <code> --name <name> [--store <code>] [--scopes ${API_SCOPES.join(',')}]`,
  summary: 'create an API key for a channel, or for one store of it (shown once)',
  args: [],
  options: { channel: 'string', name: 'string', store: 'string', scopes: 'string' },
  async run({ options, out, services }) {
    const channel = options.channel;
    const name = options.name;
    if (typeof channel !== 'string') throw new UsageError('--channel is required', 'clients create');
    if (typeof name !== 'string' || name.trim() === '')
      throw new UsageError('--name is required', 'clients create');
    const store = typeof options.store === 'string' ? options.store : undefined;
    const scopes = parseScopes(options.scopes, store);
    const channels = await services.catalog.channels();
    if (!channels.has(channel)) {
      const known = [...channels.keys()].sort();
      throw new CliError(
        `unknown channel "${channel}" (${known.length > 0 ? `known: ${known.join(', ')}` : 'no channels yet: load a catalog first'})`,
      );
    }
    let created;
    try {
      created = await services.apiKeys.create({ name: name.trim(), channel, scopes, store });
    } catch (err) {
      if (err instanceof ApiKeyStoreError) throw new CliError(`--store: ${err.message}`);
      throw err;
    }
    out.line(
      `created API client ${created.id} "${created.name}" for ${created.store ? `store ${created.store} of ` : ''}channel ${created.channel} (${created.scopes.join(', ')})`,
    );
    out.line(`key: ${created.key}`);
    out.note(
      'Store this key now: it is shown only this once. Only its hash is kept, so it cannot be shown again.',
    );
  },
};

export const clientsListCommand: Command = {
  name: 'clients list',
  synopsis: '',
  summary: 'all API clients, revoked ones included',
  args: [],
  async run({ out, services }) {
    const clients = await services.apiKeys.list();
    if (clients.length === 0) {
      out.line('no API clients yet (create one with "clients create" or "demo")');
      return;
    }
    out.lines(
      formatTable(
        [
          { title: 'id' },
          { title: 'name' },
          { title: 'channel' },
          { title: 'store' },
          { title: 'scopes' },
          { title: 'key prefix' },
          { title: 'created' },
          { title: 'revoked' },
        ],
        clients.map((c) => [
          c.id,
          c.name,
          c.channel,
          c.store ?? '',
          c.scopes.join(','),
          `${c.keyPrefix}…`,
          shortTime(c.createdAt),
          shortTime(c.revokedAt),
        ]),
      ),
    );
  },
};

export const clientsRevokeCommand: Command = {
  name: 'clients revoke',
  synopsis: '<id>',
  summary: 'revoke an API client: its key stops working within the apps’ key cache time',
  args: ['id'],
  async run({ args: [id], out, services }) {
    if (!isUuid(id))
      throw new UsageError(`"${id}" is not an API client id (a UUID, see "clients list")`, 'clients revoke');
    const revoked = await services.apiKeys.revoke(id);
    if (!revoked) {
      const existing = (await services.apiKeys.list()).find((c) => c.id === id.toLowerCase());
      throw new CliError(
        existing
          ? `API client ${id} was already revoked at ${shortTime(existing.revokedAt)}`
          : `no API client with id ${id}`,
      );
    }
    out.line(`revoked API client ${id}`);
  },
};
