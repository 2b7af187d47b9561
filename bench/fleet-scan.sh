#!/usr/bin/env bash
# A fleet scan across a link with real delay: one `smtptls scan` process against a local fleet
# of ADDRESSES x LISTENERS SMTP endpoints (one real Postfix, bench/postfix/postfix-lab.sh, whose
# extra listeners answer on every fleet address) reached through the latency lab
# (../shared/tools/latency-lab/lab.sh: a client network namespace whose kernel TCP sees
# DELAY_MS one way, RTT 2*DELAY_MS). Reports, per input size, probes per second, client CPU per
# probe, the rest of the machine's CPU per probe (Postfix and the lab's wire share the 2 cores)
# and the scan's peak RSS under one bounded heap: RSS must not grow with the input. One
# `xargs -P N openssl s_client` row at the same concurrency gives the peer's figure on the same
# fleet, and a row with TLS session resumption across probes (each endpoint is probed SIZE/
# (ADDRESSES x LISTENERS) times).
#
#   bench/fleet-scan.sh                            # 25 ms, 200 addresses x 5 listeners,
#                                                  # SIZES="1000 10000", concurrency 128
#   SIZES="1000 10000 100000" CONCURRENCY=256 bench/fleet-scan.sh
#
# Environment:
#   LATENCY_LAB   lab.sh (default ../shared/tools/latency-lab/lab.sh from the repo root)
#   SMTPTLS_JAR   the CLI (default examples/target/smtptls.jar)
#   DELAY_MS (25)  ADDRESSES (200, at most 254: 198.18.26.1 ...)  LISTENERS (5 ports each)
#   SIZES ("1000 10000")  CONCURRENCY (128)  PER_HOST (2)  OPENSSL_PROBES (2000, 0 = no row)
#   SCAN_OPTS ("--fast --revocation none")  JAVA_OPTS (-Xmx64m and bin/smtptls's -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
#   RESUME (1: one more row, the largest size with --resume-sessions; empty: none)
#   DOMAINS (10000; 0 = no domain rows): `smtptls scan --domains` over DOMAINS mail domains in a
#     DNSSEC-signed zone (ldns-signzone) served by Knot DNS on the host end of the link, so every
#     lookup crosses it too; domain J's MX is mx(J mod ADDRESSES).fleet.test at a fleet address.
#     Two rows: with the scan's probe dedupe (one probe per MX name and address) and --no-dedupe.
#   KEEP_WORK=1 keeps the work directory (targets, scan output) for a look afterwards.
# Run by hand, as root (network namespaces, Postfix); not part of CI.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAB=${LATENCY_LAB:-$ROOT/../shared/tools/latency-lab/lab.sh}
JAR=${SMTPTLS_JAR:-$ROOT/examples/target/smtptls.jar}
DELAY=${DELAY_MS:-25}
ADDRESSES=${ADDRESSES:-200}
LISTENERS=${LISTENERS:-5}
SIZES=${SIZES:-1000 10000}
CONCURRENCY=${CONCURRENCY:-128}
PER_HOST=${PER_HOST:-2}
OPENSSL_PROBES=${OPENSSL_PROBES:-2000}
SCAN_OPTS=${SCAN_OPTS:---fast --revocation none}
RESUME=${RESUME-1}
DOMAINS=${DOMAINS:-10000}
JAVA_OPTS=${JAVA_OPTS:--Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}
NET=198.18.26

die() { echo "fleet-scan.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces, Postfix)"
[ -f "$LAB" ] || die "latency lab not found at $LAB (set LATENCY_LAB)"
[ -f "$JAR" ] || die "no $JAR: build it with ./mvnw -B -q -DskipTests package"
[ "$ADDRESSES" -ge 1 ] && [ "$ADDRESSES" -le 254 ] || die "ADDRESSES must be 1 to 254"
[ "$LISTENERS" -ge 1 ] || die "LISTENERS must be positive"
command -v openssl >/dev/null || die "openssl not found"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian package time)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/smtptls-fleet.XXXXXX")
chmod 755 "$WORK" # the postfix user must reach the lab below it
export LAB_NETNS=fleetlab LAB_HOST_IF=fleeth0 LAB_NS_IF=fleetc0 LAB_HOST_ADDR=198.18.25.1 \
    LAB_NS_ADDR=198.18.25.2 LAB_RUN_DIR=$WORK/latlab
PF=$WORK/pf
cleanup() {
  rc=$?
  trap '' INT TERM
  [ -n "${KNOTD:-}" ] && kill "$KNOTD" 2>/dev/null || true
  bash "$ROOT/bench/postfix/postfix-lab.sh" stop "$PF" >/dev/null 2>&1 || true
  bash "$LAB" down >/dev/null 2>&1 || true
  [ -n "${KEEP_WORK:-}" ] && echo "work directory kept: $WORK" >&2 || rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the link and the fleet's addresses ----------------------------------------------------
bash "$LAB" up "$DELAY" > "$WORK/lab.state"
for i in $(seq 1 "$ADDRESSES"); do ip addr add "$NET.$i/32" dev "$LAB_HOST_IF"; done
ip -n "$LAB_NETNS" route add "$NET.0/24" dev "$LAB_NS_IF"

# ---- one Postfix; LISTENERS extra smtpd services answering on every address ----------------
bash "$ROOT/bench/postfix/postfix-lab.sh" start "$PF" "$LAB_HOST_ADDR" >/dev/null
prop() { sed -n "s/^$1=//p" "$PF/postfix-lab.properties"; }
CONF=$(prop configDir)
ROOTPEM=$(prop rootPem)
HOSTNAME=$(prop myhostname)
read -r -a PORTS <<< "$(python3 - "$LISTENERS" <<'PY'
import socket, sys
n = int(sys.argv[1]); socks = [socket.socket() for _ in range(n)]
for s in socks: s.bind(("0.0.0.0", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
)"
for p in "${PORTS[@]}"; do
  echo "$p inet n - n - - smtpd -o syslog_name=postfix-lab/fleet -o smtpd_tls_security_level=may" >> "$CONF/master.cf"
done
postconf -c "$CONF" -e inet_interfaces=all "default_process_limit=$((CONCURRENCY * 2 + 50))" \
    smtpd_client_connection_count_limit=0 smtpd_client_connection_rate_limit=0 >/dev/null
postfix -c "$CONF" stop >/dev/null 2>&1 || true # inet_interfaces changes need a restart
postfix -c "$CONF" start >/dev/null 2>&1
# Ready when the last address answers a greeting on every new listener (bounded wait).
bash "$LAB" exec python3 - "$NET.$ADDRESSES" "${PORTS[@]}" <<'PY' || die "the fleet listeners did not answer"
import socket, sys, time
addr, ports = sys.argv[1], [int(p) for p in sys.argv[2:]]
deadline = time.monotonic() + 30
for p in ports:
    while True:
        try:
            with socket.create_connection((addr, p), timeout=5) as s:
                s.settimeout(5)
                if s.recv(512).startswith(b"220"):
                    s.sendall(b"QUIT\r\n")
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit("no greeting from %s:%d" % (addr, p))
        time.sleep(0.2)
PY

# targets N FILE: N lines cycling over every address, then every listener, so neighbouring
# lines name different addresses (the per-address politeness limit then does not serialise).
targets() {
  awk -v n="$1" -v a="$ADDRESSES" -v net="$NET" -v ports="${PORTS[*]}" 'BEGIN {
    np = split(ports, p, " ");
    for (i = 0; i < n; i++) printf "%s.%d:%s\n", net, 1 + i % a, p[1 + int(i / a) % np] }' > "$2"
}

# sample_rss TARGETS OUT: the scan JVM's resident set (KiB), once a second while it runs.
sample_rss() {
  local pid="" i p
  for i in $(seq 1 100); do
    for p in $(pgrep -f -- "scan --input $1" || true); do
      [ "$(cat "/proc/$p/comm" 2>/dev/null)" = java ] && pid=$p
    done
    [ -n "$pid" ] && break
    sleep 0.1
  done
  [ -n "$pid" ] || return 0
  while kill -0 "$pid" 2>/dev/null; do
    awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null >> "$2" || true
    sleep 1
  done
}

# shellcheck source=lib/measure.sh
. "$ROOT/bench/lib/measure.sh"
RUN_IN=(bash "$LAB" exec)

echo "# $(cat "$WORK/lab.state"); fleet $NET.1-$ADDRESSES x ports ${PORTS[*]} ($((ADDRESSES * LISTENERS)) endpoints)"
echo "# smtptls scan $SCAN_OPTS --concurrency $CONCURRENCY --per-host $PER_HOST; JAVA_OPTS=$JAVA_OPTS"
measure_header
# scan LABEL N [EXTRA_OPTION...]: one smtptls row over N targets, with its checks and RSS samples.
scan() {
  local label=$1 n=$2; shift 2
  local f=$WORK/targets-$n.txt out=$WORK/scan-$n-$#.jsonl
  [ -f "$f" ] || targets "$n" "$f"
  rm -f "$WORK/rss-$n.txt"
  sample_rss "$f" "$WORK/rss-$n.txt" &
  local sampler=$!
  # shellcheck disable=SC2086 # SCAN_OPTS and JAVA_OPTS are word lists
  measure "$label" "$n" "$out" java $JAVA_OPTS -jar "$JAR" scan --input "$f" \
      --concurrency "$CONCURRENCY" --per-host "$PER_HOST" --trust "$ROOTPEM" $SCAN_OPTS "$@"
  wait "$sampler" || true
  local lines upgraded resumed
  lines=$(wc -l < "$out")
  upgraded=$(grep -c '"status":"UPGRADED"' "$out" || true)
  resumed=$(grep -c '"resumed":true' "$out" || true)
  echo "#   $lines result lines, $upgraded upgraded, $resumed resumed; $(tail -n 1 "$WORK/stderr")"
  echo "#   RSS (MiB) at 10/25/50/75/100 % of the run: $(awk '{r[NR] = $1} END {
      if (NR == 0) { print "no samples"; exit }
      split("0.10 0.25 0.50 0.75 1.00", q, " ");
      for (i = 1; i <= 5; i++) { k = int(q[i] * NR); if (k < 1) k = 1; printf "%d ", r[k] / 1024 } }' "$WORK/rss-$n.txt")"
}
for n in $SIZES; do
  scan "smtptls scan -c $CONCURRENCY" "$n"
done
if [ -n "$RESUME" ]; then
  scan "  ... --resume-sessions" "$(echo "$SIZES" | awk '{print $NF}')" --resume-sessions
fi
if [ "$DOMAINS" -gt 0 ]; then
  for t in knotd ldns-keygen ldns-signzone; do
    command -v "$t" >/dev/null || die "$t not found (Debian packages knot, ldnsutils)"
  done
  KT=$WORK/knot
  mkdir -p "$KT/zones" "$KT/run" "$KT/db"
  {
    echo '$ORIGIN fleet.test.'; echo '$TTL 3600'
    echo '@ SOA ns.fleet.test. admin.fleet.test. 1 3600 600 86400 300'
    echo '@ NS ns.fleet.test.'; echo "ns A $LAB_HOST_ADDR"
    awk -v a="$ADDRESSES" -v net="$NET" -v d="$DOMAINS" 'BEGIN {
      for (k = 1; k <= a; k++) printf "mx%d A %s.%d\n", k, net, k;
      for (j = 1; j <= d; j++) printf "d%d MX 10 mx%d\n", j, 1 + j % a }'
  } > "$KT/zones/fleet.test.zone"
  key=$(cd "$KT/zones" && ldns-keygen -a ECDSAP256SHA256 -k fleet.test)
  (cd "$KT/zones" && ldns-signzone -i "$(date -u -d '-1 day' +%Y%m%d%H%M%S)" \
      -e "$(date -u -d '+30 day' +%Y%m%d%H%M%S)" -f fleet.test.signed fleet.test.zone "$key")
  cp "$KT/zones/$key.ds" "$KT/anchor.ds"
  DNSPORT=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", 0)); print(s.getsockname()[1])')
  cat > "$KT/knot.conf" <<CONF
server:
    rundir: "$KT/run"
    listen: $LAB_HOST_ADDR@$DNSPORT
    background-workers: 1
log:
  - target: stderr
    any: warning
database:
    storage: "$KT/db"
template:
  - id: default
    storage: "$KT/zones"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: "fleet.test"
    file: "fleet.test.signed"
CONF
  knotd -c "$KT/knot.conf" 2> "$KT/knotd.log" &
  KNOTD=$!
  for _ in $(seq 1 50); do
    bash "$LAB" exec dig +short +time=1 +tries=1 -p "$DNSPORT" "@$LAB_HOST_ADDR" MX d1.fleet.test 2>/dev/null | grep -q mx && break
    sleep 0.2
  done
  seq 1 "$DOMAINS" | sed 's/^/d/; s/$/.fleet.test/' > "$WORK/domains.txt"
  for dedupe in "" --no-dedupe; do
    # shellcheck disable=SC2086 # JAVA_OPTS is a word list
    measure "smtptls scan --domains -c $CONCURRENCY ${dedupe:-}" "$DOMAINS" "$WORK/domains-$dedupe.jsonl" \
        java $JAVA_OPTS -jar "$JAR" scan --domains --input "$WORK/domains.txt" --concurrency "$CONCURRENCY" \
        --per-host "$PER_HOST" --dns "$LAB_HOST_ADDR:$DNSPORT" --dnssec-anchor "$KT/anchor.ds" \
        --smtp-port "${PORTS[0]}" --trust "$ROOTPEM" $SCAN_OPTS $dedupe
    echo "#   $(wc -l < "$WORK/domains-$dedupe.jsonl") result lines, $(grep -c '"dnssec":"SECURE"' "$WORK/domains-$dedupe.jsonl" || true) with a DNSSEC-secure MX set; $(tail -n 1 "$WORK/stderr")"
  done
  kill "$KNOTD" 2>/dev/null || true
fi
if [ "$OPENSSL_PROBES" -gt 0 ]; then
  targets "$OPENSSL_PROBES" "$WORK/openssl.txt"
  # GNU xargs gives each child /dev/null as stdin, so s_client ends after the handshake.
  measure "xargs -P $CONCURRENCY openssl s_client" "$OPENSSL_PROBES" "$WORK/openssl.out" sh -c \
      "xargs -P $CONCURRENCY -I{} openssl s_client -starttls smtp -connect {} -servername $HOSTNAME \
       < $WORK/openssl.txt 2>/dev/null"
  echo "#   $(grep -c '^Verify return code' "$WORK/openssl.out" || true) handshakes completed"
fi
