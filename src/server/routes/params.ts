// The request parameters several routes share, each written once.
import { z } from 'zod';
import { isPeriod } from '../../dataset/index.js';

export const period = z.string().refine(isPeriod, 'a reporting period, YYYY-MM');
export const providerCode = z.string().trim().toUpperCase().regex(/^[A-Z0-9]{3,6}$/, 'a provider code: 3 to 6 letters or digits');
