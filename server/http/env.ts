import type { Credential, User } from '../auth/users.ts';
import type { Services } from '../services.ts';

/** What every request carries: the caller (null when anonymous), what they proved it with, and the process's services. */
export type AppEnv = {
  Variables: {
    user: User | null;
    credential: Credential | null;
    services: Services;
  };
};
