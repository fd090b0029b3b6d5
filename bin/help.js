// The commands of cdk8s-webstack, each with its arguments, options (with their defaults) and an
// example: what `--help` prints, and what an unknown option's message lists. One table, so a
// new option is documented where it is parsed.
'use strict';

const COMMANDS = {
  init: {
    args: '[DIR]',
    summary: 'write a new project in DIR (default: the current folder), which must be new or empty',
    options: [
      { name: '--from', value: 'SPEC', default: 'required', text: 'where this package is installed from, as npm takes it: a tarball, a git URL with a tag, or a version' },
    ],
    example: 'cdk8s-webstack init web-stack --from git+https://git.example.com/platform/cdk8s-webstack.git#v0.1.0',
  },
  run: {
    args: 'APP.ts',
    summary: 'run a TypeScript app for `cdk8s synth` (cdk8s.yaml: `app: node node_modules/cdk8s-webstack/bin/run.js main.ts`): esbuild, no type check; errors name your source file',
    options: [],
    example: 'cdk8s-webstack run main.ts',
  },
  diff: {
    args: '[DIR]',
    summary: 'show what applying DIR (default: dist) as its ApplySet would change, and what it would prune',
    options: [],
    example: 'cdk8s-webstack diff dist',
  },
  deploy: {
    args: '[DIR]',
    summary: 'diff, apply DIR (default: dist) as its ApplySet with prune (each app\'s migration Job first), wait for every rollout, then run the jobs after the release',
    options: [
      { name: '--timeout', value: 'DURATION', default: '5m', text: 'how long each wait may take: seconds, minutes or hours (30s, 5m, 1h)' },
      { name: '--wait', value: 'true|false', default: 'true', text: 'wait for the rollouts and the jobs after the release' },
    ],
    example: 'KUBECONFIG=~/.kube/staging cdk8s-webstack deploy dist --timeout 10m',
  },
  smoke: {
    args: '[DIR]',
    summary: 'GET every app URL of DIR/outputs.json (default: dist) at its entry point\'s address, whatever DNS says yet',
    options: [
      { name: '--ca', value: 'FILE', default: 'the system\'s CAs', text: 'a PEM file of the CA that signed the apps\' certificates' },
    ],
    example: 'cdk8s-webstack smoke dist --ca staging-ca.pem',
  },
};

const ENVIRONMENT = 'kubectl comes from $KUBECTL or PATH and talks to the cluster of $KUBECONFIG (diff, deploy).';

/** `cdk8s-webstack --help`: every command in one line each. */
function overview(version) {
  const width = Math.max(...Object.entries(COMMANDS).map(([name, c]) => `${name} ${c.args}`.length));
  return [
    `cdk8s-webstack ${version}: typed web-app stacks for Kubernetes, on cdk8s`,
    '',
    'usage: cdk8s-webstack COMMAND [ARGS] [OPTIONS]',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${`${name} ${c.args}`.padEnd(width)}  ${c.summary}`),
    '',
    `  --help, -h${' '.repeat(Math.max(0, width - 10))}  this text; \`cdk8s-webstack COMMAND --help\` for one command's options`,
    `  --version${' '.repeat(Math.max(0, width - 9))}  the package's version`,
    '',
    ENVIRONMENT,
    '',
  ].join('\n');
}

/** `cdk8s-webstack COMMAND --help`: its arguments, every option with its default, an example. */
function commandHelp(name) {
  const c = COMMANDS[name];
  const options = [...c.options, { name: '--help', value: '', default: '', text: 'this text' }];
  const width = Math.max(...options.map(o => `${o.name} ${o.value}`.length));
  return [
    `usage: cdk8s-webstack ${name} ${c.args}${c.options.length > 0 ? ' [OPTIONS]' : ''}`,
    '',
    c.summary,
    '',
    'options:',
    ...options.map(o => `  ${`${o.name} ${o.value}`.padEnd(width)}  ${o.text}${o.default ? ` (default: ${o.default})` : ''}`),
    '',
    'example:',
    `  ${c.example}`,
    ...(['diff', 'deploy'].includes(name) ? ['', ENVIRONMENT] : []),
    '',
  ].join('\n');
}

/** The line for an option `name` does not take. */
function unknownOption(name, option) {
  const options = COMMANDS[name].options.map(o => o.name);
  return `${name}: unknown option '${option}'; ${options.length > 0 ? `the options are ${options.join(', ')} and --help` : 'it takes no options but --help'} (cdk8s-webstack ${name} --help)`;
}

/** Whether `argv` asks for help. */
function wantsHelp(argv) {
  return argv.includes('--help') || argv.includes('-h');
}

module.exports = { COMMANDS, overview, commandHelp, unknownOption, wantsHelp };
