import { AppError, EXIT } from '../../errors.js';
import { airgapCheckCommand } from './airgapCheck.js';
import { airgapRulesCommand } from './airgapRules.js';

const HELP = `
Usage: ashare airgap rules --config F [--user NAME] [--table NAME]
       ashare airgap check --config F [--at ISO] [--try URL …] [--journal PATH] [--users FILE] [--key-file F] [--json]

The air-gapped mode (config airgap: {enabled, window, allow}): inside the window on trading days
the service's process reaches nothing but the allow list (the broker's endpoints).
  rules   print an nftables ruleset that, for the service's user, allows only loopback and the
          allow list (apply it yourself: nft -f FILE; nothing is applied by this command)
  check   prove the state through the same guarded network stack the service uses, as at --at`;

export async function airgapCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'rules') return airgapRulesCommand(rest);
  if (sub === 'check') return airgapCheckCommand(rest);
  if (sub === undefined || sub === '--help' || sub === '-h') {
    process.stdout.write(HELP.trim() + '\n');
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  throw new AppError('USAGE', `unknown airgap command ${JSON.stringify(sub)} (rules or check; see ashare airgap --help)`, EXIT.usage);
}
