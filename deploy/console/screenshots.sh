#!/usr/bin/env bash
# Runs the console's browser test and copies the screenshots it takes into docs/console/, the
# pictures docs/console.md shows. Needs deploy/console/install-browser.sh first.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl coordinator -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ConsoleBrowserIT -Dfailsafe.failIfNoSpecifiedTests=false
mkdir -p docs/console
cp coordinator/target/console-screenshots/*.png docs/console/
ls -l docs/console
