// `riskline token`: sign an HS256 JWT that entitles its holder to some portfolios.
import { RisklineError } from '../../errors/catalogue.js';
import { signToken } from '../../gateways/auth.js';
import { exitWith } from '../exit.js';

export async function tokenCommand(opts: { portfolios: string; ttl: string; secret?: string }): Promise<void> {
  try {
    const secret = opts.secret ?? process.env.RISKLINE_JWT_SECRET;
    if (!secret) throw new RisklineError('USAGE', 'token: no secret; set RISKLINE_JWT_SECRET or pass --secret');
    if (!/^\d+[smhd]$/.test(opts.ttl))
      throw new RisklineError('USAGE', `--ttl: expected a duration like 30m or 8h, received "${opts.ttl}"`);
    const list = opts.portfolios.trim();
    const portfolios =
      list === '*'
        ? '*'
        : list
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
    if (portfolios !== '*' && portfolios.length === 0)
      throw new RisklineError('USAGE', '--portfolios: expected ids separated by commas, or *');
    process.stdout.write((await signToken(secret, portfolios, opts.ttl)) + '\n');
  } catch (err) {
    exitWith(err);
  }
}
