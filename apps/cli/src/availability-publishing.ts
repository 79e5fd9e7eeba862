import type { Availability } from '@stockbridge/ledger';
import { plural } from './output';
import type { AvailabilityReadModel } from '@stockbridge/read-model';

/**
 * Writes the channel figures of `skus` to the read model, as process-reservations' AvailabilityPublisher
 * does, so the storefront sees CLI changes at once instead of after the publisher's next sweep. Returns the
 * number of figures written.
 */
export async function publishAvailability(
  availability: Availability,
  readModel: AvailabilityReadModel,
  skus: string[],
): Promise<number> {
  let published = 0;
  for (let i = 0; i < skus.length; i += 500) {
    const figures = await availability.publishable(skus.slice(i, i + 500));
    await readModel.publish(figures);
    published += figures.length;
  }
  return published;
}

/**
 * Publishes after a stock or catalog change when the read model is configured, and says so; without
 * REDIS_URL it only notes that the figures were not published.
 */
export async function publishAfterChange(
  services: {
    availability: Availability;
    readModel: AvailabilityReadModel | null;
    config: { REDIS_PREFIX: string };
  },
  out: { note(text: string): void },
  skus: string[] | 'all',
): Promise<number | null> {
  if (!services.readModel) {
    out.note('note: REDIS_URL is not set, so availability was not published to the read model');
    return null;
  }
  const list = skus === 'all' ? await services.availability.allSkus() : skus;
  const figures = await publishAvailability(services.availability, services.readModel, list);
  out.note(
    `published ${plural(figures, 'availability figure')} (${plural(list.length, 'SKU')}) to the read model (prefix ${services.config.REDIS_PREFIX})`,
  );
  return figures;
}
