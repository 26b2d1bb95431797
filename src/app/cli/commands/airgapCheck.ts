import { AppError, EXIT } from '../../errors.js';

/** `ashare airgap check` (being written). */
export async function airgapCheckCommand(_argv: string[]): Promise<number> {
  throw new AppError('NOT_YET', 'ashare airgap check is not built yet', EXIT.internal);
}
