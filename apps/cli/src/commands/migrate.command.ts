import type { Command } from './command';

/** The database was created and migrated while the services opened; this reports what happened. */
export const migrateCommand: Command = {
  name: 'migrate',
  synopsis: '',
  summary: 'create the database if needed and apply pending migrations',
  args: [],
  reportsPreparation: true,
  async run({ out, services }) {
    const { database, created, applied } = services.preparation;
    if (applied.length === 0) {
      out.line(`database ${database}: schema is up to date`);
    } else {
      out.line(`database ${database}${created ? ' (created)' : ''}: applied ${applied.join(', ')}`);
    }
  },
};
