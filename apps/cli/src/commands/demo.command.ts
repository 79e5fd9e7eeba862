import { POS_SCOPES, STOREFRONT_SCOPES } from '@stockbridge/canonical';
import { catalogLoadId, loadCatalog } from '@stockbridge/catalog-files';
import { publishAfterChange } from '../availability-publishing';
import { buildDemoCatalog } from '../demo-catalog';
import { formatTable } from '../output';
import type { Command } from './command';

/** What `demo --json` prints on stdout, as one line: start scripts parse it. */
export interface DemoSummary {
  keys: { channel: string; key: string }[];
  /** A POS key per store of the pos channel, bound to that store (experience-pos). */
  storeKeys: { channel: string; store: string; key: string }[];
  skus: number;
  locations: number;
  channels: number;
}

export const demoCommand: Command = {
  name: 'demo',
  synopsis: '[--json]',
  summary:
    'load the demo catalog (once), publish availability and issue a fresh API key per channel and per POS store',
  args: [],
  options: { json: 'boolean' },
  jsonOption: true,
  publishes: true,
  async run({ options, out, services }) {
    const catalog = buildDemoCatalog();
    // The catalog is generated, so its load id is the hash of what was generated: a run loads it once.
    const loadId = catalogLoadId(JSON.stringify(catalog));
    const started = Date.now();
    const loaded = await loadCatalog(services, catalog, { loadId });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    out.line(
      loaded.movementsApplied > 0
        ? `demo catalog loaded in ${seconds} s: ${loaded.skus} SKUs, ${loaded.locations} locations, ${loaded.channels} channels, ${loaded.movementsApplied} stock movements`
        : `demo catalog already loaded (load id ${loadId.slice(0, 12)}): stock unchanged`,
    );
    // Publish before issuing keys: should Redis fail, no key has been issued and lost unprinted.
    await publishAfterChange(services, out, 'all');

    const existing = await services.apiKeys.list();
    const keys: DemoSummary['keys'] = [];
    let revoked = 0;
    for (const channel of catalog.channels) {
      const name = `demo-${channel.code}`;
      for (const old of existing.filter(
        (c) => c.name === name && c.channel === channel.code && c.revokedAt === null,
      )) {
        if (await services.apiKeys.revoke(old.id)) revoked++;
      }
      const created = await services.apiKeys.create({
        name,
        channel: channel.code,
        scopes: [...STOREFRONT_SCOPES],
      });
      keys.push({ channel: channel.code, key: created.key });
    }
    // The stores' tills (experience-pos): a key per store of the pos channel, acting for that store only.
    const storeKeys: DemoSummary['storeKeys'] = [];
    const stores = new Set(catalog.locations.filter((l) => l.type === 'store').map((l) => l.code));
    for (const channel of catalog.channels.filter((c) => c.code === 'pos')) {
      for (const { location } of channel.pool.filter((p) => stores.has(p.location))) {
        const name = `demo-${channel.code}-${location.toLowerCase()}`;
        for (const old of existing.filter((c) => c.name === name && c.revokedAt === null)) {
          if (await services.apiKeys.revoke(old.id)) revoked++;
        }
        const created = await services.apiKeys.create({
          name,
          channel: channel.code,
          store: location,
          scopes: [...POS_SCOPES],
        });
        storeKeys.push({ channel: channel.code, store: location, key: created.key });
      }
    }

    const summary: DemoSummary = {
      keys,
      storeKeys,
      skus: catalog.skus.length,
      locations: catalog.locations.length,
      channels: catalog.channels.length,
    };
    if (options.json === true) {
      out.note(
        `issued ${keys.length + storeKeys.length} demo API keys${revoked > 0 ? `, revoked ${revoked} earlier ones` : ''}`,
      );
      out.json(summary);
      return;
    }
    out.line(
      `API keys (${STOREFRONT_SCOPES.join(', ')}); shown only now${revoked > 0 ? `, the ${revoked} earlier demo keys are revoked` : ''}:`,
    );
    out.lines(
      formatTable(
        [{ title: 'channel' }, { title: 'key' }],
        keys.map((k) => [k.channel, k.key]),
      ).map((l) => `  ${l}`),
    );
    out.line(`POS keys, one per store, each acting for its store only (${POS_SCOPES.join(', ')}):`);
    out.lines(
      formatTable(
        [{ title: 'store' }, { title: 'key' }],
        storeKeys.map((k) => [k.store, k.key]),
      ).map((l) => `  ${l}`),
    );
    out.line('try: stock show SKU-00001');
  },
};
