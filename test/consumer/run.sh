#!/usr/bin/env bash
# The consumer test (npm run test:consumer): what another team's repository does with this
# package, from a temporary folder, for an `npm pack` tarball of this checkout and for a git URL
# of its current commit:
#   - the README's "Install", "Start a project", "Synth" and "Snapshot-test" commands, run as
#     the README writes them (only the PACKAGE= line is pointed at the package under test);
#   - the installed package's index.d.ts exports the names of test/public-api.txt;
#   - the generated project's strict `tsc --noEmit` (no skipLibCheck) and jest snapshot test;
#   - a plain-JavaScript program with a misspelt prop, which must fail with the did-you-mean
#     message;
#   - the cold `npm run synth` time of the generated project beside this repository's;
#   - the tarball once more on Node 22 and on Node 24.
# Everything is removed at the end, whatever happens.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# Node releases the package is tested on besides this machine's (package.json "engines").
NODE_VERSIONS="22.23.3 24.21.0"
work=$(mktemp -d "${TMPDIR:-/tmp}/webstack-consumer-XXXXXX")
trap 'rm -rf "$work"' EXIT
# npm on Node 22 and 24 keeps a compile cache in the temp folder: keep it in the work folder,
# removed with it, so the test leaves the machine's temp folder as it found it.
export NODE_COMPILE_CACHE="$work/node-compile-cache"
unset CI # a fresh project writes its first snapshots

say() { echo "consumer: $*"; }

# The ```sh blocks of the README section headed "## $1".
section() {
  awk -v heading="## $1" '$0 == heading { on = 1; next } on && /^## / { exit }
    on && /^```sh$/ { code = 1; next } code && /^```$/ { code = 0; next } code' "$root/README.md"
}

# Runs the commands of README sections in folder $2, with PACKAGE=$1.
run_sections() {
  local spec=$1 dir=$2; shift 2
  mkdir -p "$dir"
  for name in "$@"; do
    section "$name" | sed "s|^PACKAGE=.*|PACKAGE='$spec'|"
  done > "$dir/readme-commands.sh"
  [ -s "$dir/readme-commands.sh" ] || { echo "consumer: README sections $* hold no commands" >&2; exit 1; }
  (cd "$dir" && bash -euo pipefail readme-commands.sh)
}

seconds() { local start=$1; echo "$(( ($(date +%s%N) - start) / 1000000 )) ms"; }

check_project() { # DIR: the generated project, after the README's commands ran in it
  local project=$1
  [ -f "$project/dist/platform.k8s.yaml" ] || { echo "consumer: no dist/ after npm run synth" >&2; exit 1; }
  ls "$project/__snapshots__/" >/dev/null
  cat > "$project/misspelt.js" <<'JS'
const { Chart } = require('cdk8s');
const { IngressVip, WebApp, WebStackApp } = require('cdk8s-webstack');
const app = new WebStackApp();
const vip = new IngressVip(new Chart(app, 'platform'), 'IngressVip', { address: '192.0.2.10' });
new WebApp(new Chart(app, 'shop'), 'shop', {
  entryPoint: vip, image: 'registry.example.com/team/shop:1.0.0', host: 'shop.example.com', autoscalling: { maxReplicas: 5 },
});
JS
  local out
  if out=$(cd "$project" && node misspelt.js 2>&1); then
    echo "consumer: a misspelt prop went through: $out" >&2; exit 1
  fi
  grep -q "WebStackError: shop/shop: 'autoscalling' ({\"maxReplicas\":5}) is not a prop of WebAppProps; did you mean 'autoscaling'?" <<<"$out" \
    || { echo "consumer: unexpected error for a misspelt prop: $out" >&2; exit 1; }
  say "misspelt prop refused: $(grep -o "'autoscalling'.*" <<<"$out" | head -n 1)"
  # The pipeline commands run from the installed package: outputs read, manifests parsed, then
  # kubectl called (here a stand-in that fails, so nothing reaches a network).
  if out=$(cd "$project" && KUBECTL=false npx --no-install cdk8s-webstack diff dist 2>&1); then
    echo "consumer: cdk8s-webstack diff passed with a failing kubectl: $out" >&2; exit 1
  fi
  grep -q "cdk8s-webstack: kubectl get namespaces -o name failed" <<<"$out" \
    || { echo "consumer: unexpected output of cdk8s-webstack diff: $out" >&2; exit 1; }
  say "cdk8s-webstack diff runs from the installed package (up to its kubectl)"
  # --help of the bin and of each command, and --version, from the installed package.
  (cd "$project" && npx --no-install cdk8s-webstack --help) | grep -q '^usage: cdk8s-webstack COMMAND' \
    || { echo "consumer: cdk8s-webstack --help printed no usage" >&2; exit 1; }
  local command
  for command in init run diff deploy smoke; do
    (cd "$project" && npx --no-install cdk8s-webstack "$command" --help) | grep -q "^usage: cdk8s-webstack $command " \
      || { echo "consumer: cdk8s-webstack $command --help printed no usage" >&2; exit 1; }
  done
  [ "$(cd "$project" && npx --no-install cdk8s-webstack --version)" = "$(node -p "require('$root/package.json').version")" ] \
    || { echo "consumer: cdk8s-webstack --version is not the package's" >&2; exit 1; }
  say "--help of the bin and of init, run, diff, deploy, smoke, and --version, from the installed package"
  rm -rf "$project/dist"
  local start; start=$(date +%s%N)
  (cd "$project" && npm run --silent synth >/dev/null)
  say "cold npm run synth of the generated project: $(seconds "$start")"
}

consume() { # LABEL SPEC
  local label=$1 spec=$2 dir="$work/$1"
  say "$label: $spec"
  mkdir -p "$dir/existing" && (cd "$dir/existing" && npm init -y >/dev/null) # "In your project"
  run_sections "$spec" "$dir/existing" 'Install'
  (cd "$dir/existing" && node -e "require('cdk8s-webstack'); require.resolve('aws-cdk-lib')")
  say "$label: Install section ok"
  (cd "$root" && node bin/run.js test/consumer/exports.ts "$dir/existing/node_modules/cdk8s-webstack")
  run_sections "$spec" "$dir" 'Start a project' 'Synth' 'Snapshot-test'
  say "$label: Start a project, Synth, Snapshot-test sections ok"
  check_project "$dir/my-stack"
}

cd "$root"
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
consume tarball "$work/$tarball"
consume git "git+file://$root#$(git -C "$root" rev-parse HEAD)"

# The tarball again on every other Node the package's engines name (the npm `node` packages
# bring them; this machine's is the first): its node first on PATH, for npm, npx, cdk8s and jest.
for version in $NODE_VERSIONS; do
  mkdir -p "$work/node-$version"
  (cd "$work/node-$version" && npm install --silent --no-audit --no-fund --prefix . "node@$version" >/dev/null)
  bin="$work/node-$version/node_modules/.bin"
  [ "$("$bin/node" --version)" = "v$version" ] || { echo "consumer: node@$version did not install" >&2; exit 1; }
  PATH="$bin:$PATH" consume "node-$version" "$work/$tarball"
done

rm -rf "$work/repo-dist"
start=$(date +%s%N)
(cd "$root" && node_modules/.bin/cdk8s synth --check-upgrade=false --output "$work/repo-dist" >/dev/null)
say "cold cdk8s synth of this repository's apps/main.ts: $(seconds "$start")"
say "all passed"
