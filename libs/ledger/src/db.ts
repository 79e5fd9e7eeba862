export { Db, prepared, type Sql } from '@stockbridge/persistence';
