import { loadCatalog } from '@stockbridge/catalog-files';
import { publishAfterChange } from '../availability-publishing';
import { readCatalogSource } from '../catalog-source';
import { formatTable, plural } from '../output';
import type { Command } from './command';

export const catalogLoadCommand: Command = {
  name: 'catalog load',
  synopsis: '<file.json | directory-with-csv-files>',
  summary: 'upsert locations, SKUs and channels and count stock from a catalog file (idempotent per content)',
  args: ['path'],
  publishes: true,
  async run({ args: [path], out, services }) {
    const source = await readCatalogSource(path);
    if (source.ignored.length > 0)
      out.note(`ignored: ${source.ignored.join(', ')} (not a catalog file name)`);
    const started = Date.now();
    const result = await loadCatalog(services, source.catalog, {
      loadId: source.loadId,
      onProgress: (done, total) => {
        if (total > 5_000) out.note(`  stock movements ${done}/${total}`);
      },
    });
    out.line(
      `loaded ${source.label} in ${((Date.now() - started) / 1000).toFixed(1)} s (load id ${source.loadId.slice(0, 12)})`,
    );
    out.lines(
      formatTable(
        [{ title: 'section' }, { title: 'rows', align: 'right' }, { title: 'result' }],
        [
          ['locations', String(result.locations), 'upserted'],
          ['skus', String(result.skus), 'upserted'],
          ['channels', String(result.channels), 'upserted, pools replaced'],
          [
            'stock',
            String(result.stockRows),
            `${plural(result.movementsApplied, 'movement')} applied, ${result.movementsAlreadyApplied} already applied by an earlier load of this content`,
          ],
        ],
      ).map((l) => `  ${l}`),
    );
    await publishAfterChange(services, out, 'all');
  },
};
