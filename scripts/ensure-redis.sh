#!/usr/bin/env bash
# The @krate/state-redis tests run against a real redis-server (Debian's package); the test
# setup starts and stops it on a free loopback port. Installs it when the machine lacks it.
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && exit 0
echo "redis-server is not installed: installing Debian's redis-server package"
if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
