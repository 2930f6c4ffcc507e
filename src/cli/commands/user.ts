/**
 * `purl user create | list | disable` — the users who sign in. Without the demo there are no
 * default users: `purl user create --role admin --email …` makes the first one. The password is
 * read from `PURL_NEW_PASSWORD`, else prompted for (hidden, twice) on a terminal, else read as
 * the first line of stdin; it is never taken as an argument (it would stay in the shell history
 * and the process list). Every change is audited under `system:cli:user`.
 */
import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { DomainError } from '../../core/errors.js';
import { checkRoleAndParty, normalizeEmail, USER_ROLES } from '../../core/identity.js';
import { createUser, disableUser, listUsers, type User } from '../../services/identity-service.js';
import { withDatabase } from '../context.js';

const ACTOR = systemActor('cli:user');

export function registerUser(program: Command): void {
  const user = program.command('user').description('users who sign in');

  user
    .command('create')
    .description(
      'create a user; the password comes from PURL_NEW_PASSWORD, a hidden prompt, or stdin ' +
        '(at least 12 characters, not the email, not a common password)',
    )
    .requiredOption('--email <email>', 'the sign-in email (unique, case-insensitive)')
    .requiredOption('--role <role>', `one of ${USER_ROLES.join(', ')}`)
    .option('--party <id>', 'the party a contributor acts for (e.g. NLD); contributors only')
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .action(async (options: { email: string; role: string; party?: string; name?: string }) => {
      // Refuse a malformed email or role before asking for a password.
      const email = normalizeEmail(options.email, '--email');
      checkRoleAndParty(options.role, options.party, { role: '--role', partyId: '--party' });
      const password = await readNewPassword();
      await withDatabase(async (database) => {
        const created = await createUser(database, ACTOR, {
          email,
          role: options.role,
          partyId: options.party ?? null,
          displayName: options.name,
          password,
        });
        process.stdout.write(`created ${describe(created)}\n`);
      });
    });

  user
    .command('list')
    .description('list every user')
    .action(async () => {
      await withDatabase(async (database) => {
        const users = await listUsers(database, ACTOR);
        if (users.length === 0) {
          process.stdout.write('no users (create one with `purl user create --role admin …`)\n');
        }
        for (const u of users) process.stdout.write(`${describe(u)}\n`);
      });
    });

  user
    .command('disable')
    .description('disable a user: signs it out everywhere; its API tokens stop working')
    .requiredOption('--email <email>', 'the user to disable')
    .action(async (options: { email: string }) => {
      await withDatabase(async (database) => {
        const disabled = await disableUser(database, ACTOR, options.email);
        process.stdout.write(`disabled ${describe(disabled)}\n`);
      });
    });
}

function describe(u: User): string {
  const role = u.partyId ? `${u.role}:${u.partyId}` : u.role;
  return `${u.email}  ${role}  "${u.displayName}"${u.disabled ? '  (disabled)' : ''}`;
}

async function readNewPassword(): Promise<string> {
  const fromEnv = process.env.PURL_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) {
    const first = await promptHidden('New password: ');
    const second = await promptHidden('Repeat it: ');
    if (first !== second) {
      throw new DomainError('VALIDATION_FAILED', 'The two passwords differ.', {
        field: 'password',
      });
    }
    return first;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (line === '') {
    throw new DomainError(
      'VALIDATION_FAILED',
      'No password: set PURL_NEW_PASSWORD, or give it on stdin.',
      { field: 'password' },
    );
  }
  return line;
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let chars: string[] = [];
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(chars.join(''));
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish();
          reject(new DomainError('VALIDATION_FAILED', 'Cancelled.', { field: 'password' }));
          return;
        }
        if (ch === '\u007f' || ch === '\b') chars = chars.slice(0, -1);
        else chars.push(ch);
      }
    };
    stdin.on('data', onData);
  });
}
