# Sourced by the scripts in scripts/: finds a JDK >= 25 and Maven, sets JAVA_HOME, JAVA, MVN, ROOT.
# Fails with one sentence when either is missing.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

ringfork_fail() { echo "ringfork: $*" >&2; exit 1; }

# Prints the feature version (e.g. 25) of the JDK at $1, or nothing if $1 is no JDK.
ringfork_jdk_feature() {
  local home="$1" line
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  line=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | grep -m1 'java.specification.version')
  line=${line##*= }
  echo "${line%%.*}"
}

ringfork_find_jdk() {
  local candidate feature
  if [ -n "${JAVA_HOME:-}" ]; then
    feature=$(ringfork_jdk_feature "$JAVA_HOME")
    if [ -n "$feature" ] && [ "$feature" -ge 25 ]; then
      echo "$JAVA_HOME"; return 0
    fi
  fi
  # Newest first, so a machine with 25 and 26 builds on 26.
  for candidate in $(ls -d /usr/lib/jvm/*/ /usr/local/lib/jvm/*/ /opt/java/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [ -L "$candidate" ] && continue
    feature=$(ringfork_jdk_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge 25 ]; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

JAVA_HOME=$(ringfork_find_jdk) \
  || ringfork_fail "no JDK 25 or newer found (looked at JAVA_HOME and /usr/lib/jvm/*): install one, e.g. Temurin 25, or point JAVA_HOME at it."
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"

# The Maven Wrapper fetches the pinned Maven (3.9.16) on first use; it needs curl or wget.
if command -v curl >/dev/null 2>&1 || command -v wget >/dev/null 2>&1 || [ -d "$HOME/.m2/wrapper/dists" ]; then
  MVN="$ROOT/mvnw"
elif command -v mvn >/dev/null 2>&1; then
  MVN=mvn
else
  ringfork_fail "no Maven found: install curl (so ./mvnw can fetch Maven 3.9.16) or Maven 3.9+."
fi
export MAVEN_OPTS="${MAVEN_OPTS:-} -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
