// `--help` and `--version` of the bin and of each command, from bin/help.js's one table: every
// option a command parses is listed with its default, and an unknown option or command is one
// line that names the right ones.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'cdk8s-webstack.js');
const { COMMANDS } = require('../bin/help.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

/** The options each command's parser takes, read from its source: what --help must list. */
function parsedOptions(command: string): string[] {
  if (command === 'init') {
    return [...fs.readFileSync(CLI, 'utf8').matchAll(/argv\[i\] === '(--[a-z-]+)'/g)].map(m => m[1]);
  }
  const deploy = fs.readFileSync(path.join(ROOT, 'bin', 'deploy.js'), 'utf8');
  const call = new RegExp(`parseArgs\\('${command}', argv, \\{([^}]*)\\}\\)`).exec(deploy);
  return call === null ? [] : [...call[1].matchAll(/'(--[a-z-]+)'/g)].map(m => m[1]);
}

describe('cdk8s-webstack --help', () => {
  test('the bin lists every command; --version is the package\'s', () => {
    for (const args of [['--help'], ['-h'], ['help'], []]) {
      const r = cli(...args);
      expect(r.stdout).toMatch(/^cdk8s-webstack \d+\.\d+\.\d+: /);
      for (const command of Object.keys(COMMANDS)) {
        expect(r.stdout).toMatch(new RegExp(`\\n {2}${command} `));
      }
    }
    expect(cli('--version').stdout).toBe(`${require('../package.json').version}\n`);
  });

  test.each(Object.keys(COMMANDS))('%s --help: usage, every option it parses with its default, an example; exit 0', command => {
    const r = cli(command, '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: cdk8s-webstack ${command} `));
    const parsed = parsedOptions(command);
    expect(COMMANDS[command].options.map((o: any) => o.name)).toEqual(parsed);
    for (const option of COMMANDS[command].options) {
      expect(r.stdout).toMatch(new RegExp(`\\n {2}${option.name} .*\\(default: ${option.default.replace(/[()]/g, '\\$&')}\\)\\n`));
    }
    expect(r.stdout).toMatch(/\nexample:\n {2}.*\bcdk8s-webstack /);
    expect(cli('help', command).stdout).toBe(r.stdout);
  });

  test('deploy and smoke parse options: the table lists them', () => {
    expect(parsedOptions('deploy')).toEqual(['--timeout', '--wait']);
    expect(parsedOptions('smoke')).toEqual(['--ca']);
    expect(parsedOptions('init')).toEqual(['--from']);
  });

  test('an unknown option or command is one line naming the right ones; exit 1', () => {
    const option = cli('deploy', 'dist', '--timout', '5m');
    expect([option.status, option.stderr]).toEqual([1, 'cdk8s-webstack: deploy: unknown option \'--timout\'; the options are --timeout, --wait and --help (cdk8s-webstack deploy --help)\n']);
    const diff = cli('diff', '--prune');
    expect(diff.stderr).toBe('cdk8s-webstack: diff: unknown option \'--prune\'; it takes no options but --help (cdk8s-webstack diff --help)\n');
    const init = cli('init', '--form', 'x');
    expect(init.stderr).toBe('cdk8s-webstack: init: unknown option \'--form\'; the options are --from and --help (cdk8s-webstack init --help)\n');
    const command = cli('depoly');
    expect([command.status, command.stderr]).toEqual([1, 'cdk8s-webstack: unknown command \'depoly\'; the commands are init, run, diff, deploy, smoke (cdk8s-webstack --help)\n']);
  });
});
