import { loadConfig } from '../config/config';
import { createDataSource } from './data-source';

/** The DataSource the TypeORM CLI uses (`npm run migration:run`), built from the same configuration as the app; migrations need no entities. */
export default createDataSource(loadConfig());
