import { AppError, EXIT } from '../../errors.js';

/** `ashare airgap rules` (being written). */
export async function airgapRulesCommand(_argv: string[]): Promise<number> {
  throw new AppError('NOT_YET', 'ashare airgap rules is not built yet', EXIT.internal);
}
