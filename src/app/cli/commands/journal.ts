import { AppError, EXIT } from '../../errors.js';

/** `ashare journal …`: each subcommand's module is loaded when it runs (`journal verify` loads no engine, schemas or export code). */
export async function journalCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'verify') return (await import('./journalVerify.js')).verify(rest);
  if (sub === 'inspect') return (await import('./journalInspect.js')).inspect(rest);
  if (sub === 'export') return (await import('./compliance.js')).journalExportCommand(rest);
  if (sub === 'verify-export') return (await import('./compliance.js')).journalVerifyExportCommand(rest);
  if (sub === 'copy') return (await import('./journalCopy.js')).journalCopyCommand(rest);
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(`Usage: ashare journal verify|inspect|export|verify-export|copy …  (ashare journal verify --help)\n`);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  throw new AppError('USAGE', `unknown journal command ${JSON.stringify(sub)}; use verify, inspect, export, verify-export or copy`, EXIT.usage);
}
