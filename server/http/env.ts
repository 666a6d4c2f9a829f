import type { User } from '../auth/users.ts';
import type { Services } from '../services.ts';

/** What every request carries: the caller (null when anonymous) and the process's services. */
export type AppEnv = {
  Variables: {
    user: User | null;
    services: Services;
  };
};
