#!/usr/bin/env bash
# The soak (issue 14): the packaged runner (java -jar) for MINUTES of chaos against a private Firestore emulator and
# the Airtable double, both behind TCP proxies; two stored schedules of two bases fire every 5 s (an hourly schedule
# compressed 720 x); a seeded chaos driver suspends (SIGSTOP), kills (SIGKILL) and restarts runners, cuts and
# blackholes Airtable and Firestore, switches the double's faults and runs a second runner for a while. Prints one
# table and writes it to target/soak.md; exits 1 if a row broke its limit. Not part of `mvn verify` (SoakIT runs a
# 2-minute version there).
#   bash bench/soak.sh                 # 20 minutes, a new seed (printed)
#   bash bench/soak.sh 120             # 2 hours
#   bash bench/soak.sh 20 424242       # replay the plan of seed 424242
#   MVN_ARGS="-o" bash bench/soak.sh   # Maven offline
#   BUILD_DIR=/tmp/build-x bash bench/soak.sh   # build elsewhere (mvn -Dbuild.dir); the table stays target/soak.md
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${1:-20}"
SEED="${2:-${SOAK_SEED:-}}"
B="${BUILD_DIR:-target}"
mvn -B -q ${MVN_ARGS:-} -Dbuild.dir="$B" -DskipTests package
mvn -B -q ${MVN_ARGS:-} -Dbuild.dir="$B" dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$B/soak-classpath.txt"
JAR="$(ls "$B"/airtable-integrity-runner-*.jar | grep -v original | head -1)"
mkdir -p target
exec java -Xmx1g -Drunner.jar="$JAR" -Drunner.logs=target/soak-logs \
  -cp "$B/test-classes:$B/classes:$(cat "$B/soak-classpath.txt")" \
  com.airtableintegrity.soak.SoakMain "$MINUTES" "$SEED" target/soak.md
