// What every intake operation is given (docs/adr/0019): the database, the clock, the services it calls and where
// uploads are kept. A test may build its own and call the operations directly.
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db.ts';
import type { PiiSealer } from '../../platform/pii.ts';
import type { CatalogueService } from '../catalogue/index.ts';
import type { CasesService } from '../cases/index.ts';

export interface ApplicationsDeps {
  db: Database;
  catalogue: CatalogueService;
  cases: CasesService;
  clock: Clock;
  /** Seals what may hold ID and phone numbers: documents, file names, uploads (platform/pii.ts). */
  pii: PiiSealer;
  /** The data directory; uploads are kept sealed under files/ in it (platform/uploads.ts). */
  dataDir: string;
}
