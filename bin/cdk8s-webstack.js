#!/usr/bin/env node
// cdk8s-webstack: start a project, run an app for `cdk8s synth`, and the pipeline's cluster
// steps. Each command, its options and an example are in help.js (`cdk8s-webstack --help`).
'use strict';
const fs = require('fs');
const path = require('path');

const own = require('../package.json');
const help = require('./help.js');
const [command, ...args] = process.argv.slice(2);


function fail(message) {
  process.stderr.write(`cdk8s-webstack: ${message}\n`);
  process.exit(1);
}

/** Writes a new project; refuses a folder that holds anything, so nothing is overwritten. */
function init(argv) {
  let dir = '.';
  let from;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--from') {
      from = argv[++i];
    } else if (argv[i].startsWith('--from=')) {
      from = argv[i].slice('--from='.length);
    } else if (argv[i].startsWith('-')) {
      fail(help.unknownOption('init', argv[i]));
    } else {
      dir = argv[i];
    }
  }
  if (!from) {
    fail('give --from with where this package is installed from, as npm takes it: a tarball '
      + '(./cdk8s-webstack-0.1.0.tgz), a git URL with a tag (git+https://host/org/cdk8s-webstack.git#v0.1.0) or a version');
  }
  const target = path.resolve(dir);
  if (fs.existsSync(target) && (!fs.statSync(target).isDirectory() || fs.readdirSync(target).length > 0)) {
    fail(`'${dir}' is not an empty folder; init writes a whole project and overwrites nothing: give a new or empty folder`);
  }
  // A relative tarball path is relative to where init ran; the project needs it from its own folder.
  const spec = /^(\.{0,2}\/|file:)/.test(from) && !from.includes('://')
    ? `file:${path.relative(target, path.resolve(from.replace(/^file:/, ''))) || '.'}`
    : from;
  const name = path.basename(target).toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'web-stack';
  const pin = dep => {
    const version = own.devDependencies[dep] ?? own.dependencies?.[dep];
    if (!version) {
      fail(`internal: no pinned version of ${dep}`);
    }
    return version;
  };
  const files = {
    'package.json': `${JSON.stringify({
      name,
      version: '0.1.0',
      private: true,
      scripts: {
        synth: 'cdk8s synth --check-upgrade=false',
        test: 'tsc --noEmit && jest',
        'test:update': 'jest --updateSnapshot',
      },
      dependencies: {
        'cdk8s-webstack': spec,
        'cdk8s': pin('cdk8s'),
        'cdk8s-plus-28': pin('cdk8s-plus-28'),
        'constructs': pin('constructs'),
      },
      devDependencies: {
        '@types/jest': pin('@types/jest'),
        '@types/node': pin('@types/node'),
        'cdk8s-cli': pin('cdk8s-cli'),
        'jest': pin('jest'),
        'ts-jest': pin('ts-jest'),
        'typescript': pin('typescript'),
      },
    }, null, 2)}\n`,
    'cdk8s.yaml': [
      'language: typescript',
      '# esbuild transpiles main.ts in memory (no type check on the synth path: that is `npm test`).',
      'app: node node_modules/cdk8s-webstack/bin/run.js main.ts',
      'output: dist',
      '',
    ].join('\n'),
    'tsconfig.json': `${JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'commonjs', lib: ['ES2022'], strict: true, noUnusedLocals: true, noImplicitReturns: true,
        noFallthroughCasesInSwitch: true, esModuleInterop: true, types: ['node', 'jest'],
      },
      include: ['*.ts'],
    }, null, 2)}\n`,
    // jest's transform cache in the project, not the machine's temp folder (jest_<uid>).
    'jest.config.js': "module.exports = { testEnvironment: 'node', testMatch: ['**/*.test.ts'], transform: { '^.+\\\\.ts$': 'ts-jest' }, cacheDirectory: '<rootDir>/node_modules/.cache/jest' };\n",
    '.gitignore': 'node_modules/\n# synth\'s bookkeeping beside dist/ (see the cdk8s-webstack README, "Output safety")\n.dist.*\n',
    'stack.ts': stack(name),
    'main.ts': MAIN,
    'stack.test.ts': TEST,
    'README.md': readme(name),
  };
  fs.mkdirSync(target, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(target, file), text, { flag: 'wx' });
  }
  process.stdout.write(`cdk8s-webstack: a new project in ${dir}: ${Object.keys(files).join(', ')}\n`
    + `next: cd ${dir} && npm install && npm run synth && npm test\n`);
}

const MAIN = `// The app cdk8s.yaml runs: \`npm run synth\` writes dist/.
import { build } from './stack';

build().synth();
`;

const stack = name => `import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IngressVip, TlsCertificate, WebApp, WebStackApp } from 'cdk8s-webstack';

/** What differs between the environments; everything else is typed once, below. */
const ENVIRONMENTS = [
  { name: 'staging', host: 'app.staging.example.com', tag: '1.0.0', scale: { minReplicas: 2, maxReplicas: 4 } },
  { name: 'production', host: 'app.example.com', tag: '1.0.0', scale: { minReplicas: 3, maxReplicas: 20 } },
] as const;

/** The whole program: one VIP for the cluster, and the app in each environment behind it. */
export function build(app: WebStackApp = new WebStackApp({ applySet: { name: '${name}' } })): WebStackApp {
  // Once per cluster: the VIP in front of the ingress controller. For a Gateway API cluster,
  // use a Gateway (see the cdk8s-webstack README, "Choosing a way in").
  const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
  for (const env of ENVIRONMENTS) {
    environment(new Chart(app, \`app-\${env.name}\`), env, vip);
  }
  return app;
}

function environment(scope: Construct, env: (typeof ENVIRONMENTS)[number], vip: IngressVip): void {
  new WebApp(scope, 'app', {
    entryPoint: vip,
    image: \`registry.example.com/team/app:\${env.tag}\`,
    host: env.host,
    namespace: { name: \`app-\${env.name}\` },
    autoscaling: env.scale,
    route: { tls: TlsCertificate.fromClusterIssuer('letsencrypt') },
  });
}
`;

const TEST = `import { synthFiles } from 'cdk8s-webstack';
import { build } from './stack';

test('every file synth writes, each its own snapshot', () => {
  const files = synthFiles(build());
  // The list of files is a snapshot too: a file added or gone shows in the diff, with no list to edit.
  expect(Object.keys(files)).toMatchSnapshot('files');
  for (const [name, text] of Object.entries(files)) {
    expect(text).toMatchSnapshot(name);
  }
});
`;

function readme(name) {
  return `# ${name}

The web app's Kubernetes stack as typed code, on [cdk8s-webstack](${own.homepage ?? 'https://github.com/'}).

\`\`\`sh
npm install       # once
npm run synth     # stack.ts, through main.ts -> dist/: one file per chart
npm test          # type check, then the snapshot test of every file synth writes
\`\`\`

Deploy with \`npx cdk8s-webstack deploy dist\`: it shows the diff, applies \`dist/\` as the ApplySet
\`${name}\` (removing what \`stack.ts\` no longer declares; Namespaces are kept), and waits for the
rollouts. \`dist/outputs.json\` holds each app's URLs, namespace and DNS records for later steps.
Change \`stack.ts\`, run \`npm run synth\`, and review the snapshot diff (\`npm run test:update\` accepts it).
`;
}

// Last, so that the templates above are defined.
if (command === '--version' || command === '-v') {
  process.stdout.write(`${own.version}\n`);
} else if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  const topic = command === 'help' ? args[0] : undefined;
  process.stdout.write(topic && help.COMMANDS[topic] ? help.commandHelp(topic) : help.overview(own.version));
} else if (help.COMMANDS[command] && help.wantsHelp(args)) {
  process.stdout.write(help.commandHelp(command));
} else if (command === 'run') {
  process.argv.splice(2, 1);
  require('./run.js');
} else if (command === 'init') {
  init(args);
} else if (['diff', 'deploy', 'smoke'].includes(command)) {
  Promise.resolve(require('./deploy.js')[command](args)).catch(error => fail(error.message));
} else {
  fail(`unknown command '${command}'; the commands are ${Object.keys(help.COMMANDS).join(', ')} (cdk8s-webstack --help)`);
}
