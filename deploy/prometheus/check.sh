#!/usr/bin/env bash
# Checks the alert rules and runs their unit tests with Debian's promtool (deploy/prometheus/install.sh).
set -euo pipefail
cd "$(dirname "$0")"
promtool check rules storefleet.rules.yml
promtool test rules storefleet.rules.test.yml
