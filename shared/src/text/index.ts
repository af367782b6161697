// A text in both of the platform's languages, as every view carries it ({ zh, en }); the reader picks one.
import { z } from 'zod';

export const LocalText = z.object({ zh: z.string(), en: z.string() });
export type LocalText = z.infer<typeof LocalText>;
