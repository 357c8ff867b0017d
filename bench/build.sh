#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar: installs the current clmix into the local Maven repository
# (tests skipped), then packages the benchmark project against it. Re-run after changing clmix.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -Dmaven.test.skip=true install
mvn -q -B -Dstyle.color=never -f "$root/bench/pom.xml" package
echo "bench: built $root/bench/target/benchmarks.jar" >&2
