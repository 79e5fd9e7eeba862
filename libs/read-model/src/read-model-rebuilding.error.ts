/**
 * The read model was emptied (Redis restarted without its data, a failover to an empty replica) and is
 * being published again: a SKU it does not hold yet is not known to be absent. Readers answer "retry
 * shortly" instead of showing the SKU as unknown with 0 available.
 */
export class ReadModelRebuildingError extends Error {
  constructor() {
    super('The availability read model is being rebuilt after a Redis reset');
    this.name = 'ReadModelRebuildingError';
  }
}
