#!/usr/bin/env bash
# Round trips spent by STARTTLS probes, side by side in one run: `smtptls probe` (default and
# --fast), the library's API (a cold JVM per probe, and warm probes in one JVM), `openssl
# s_client -starttls smtp`, Postfix's `posttls-finger` and `swaks --tls` (when installed), all against real Postfix (bench/postfix/postfix-lab.sh) across a
# link with real delay: the latency lab, a network namespace whose kernel TCP sees a real RTT,
# so Nagle and delayed ACKs behave as on a network (a TCP relay would hide them).
#
#   bench/probe-rtt.sh                      # 25 ms one way (RTT 50 ms), 9 repetitions
#   DELAY_MS=25 REPS=15 bench/probe-rtt.sh
#   PCAP_DIR=/tmp/pcaps bench/probe-rtt.sh  # also one client-side packet capture per client
#
# Round trips = (median wall at delay d - median wall at delay 0) / (2 d). Two labs run side by
# side, one with delay 0 and one with delay d, each with its own Postfix, and every repetition
# runs each client against both, so a busy machine slows both alike. "own" columns use the
# client's own clock (smtptls: the report's durationMs; API: System.nanoTime around inspect),
# which leaves out JVM start-up and is steadier under load.
# Run by hand, as root (network namespaces, Postfix); not part of CI.
#
# Environment:
#   LATENCY_LAB        lab.sh (default ../shared/tools/latency-lab/lab.sh from the repo root)
#   SMTPTLS_JAR        the CLI (default examples/target/smtptls.jar); its rows are left out
#                      when it is missing or does not run
#   SMTPTLS_CLASSPATH  classpath for the API rows (default: the jar, else core/target/classes)
#   DELAY_MS (25), REPS (9), WARM_PROBES (40 probes per JVM for the warm rows, 10 skipped)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAB=${LATENCY_LAB:-$ROOT/../shared/tools/latency-lab/lab.sh}
JAR=${SMTPTLS_JAR:-$ROOT/examples/target/smtptls.jar}
DELAY=${DELAY_MS:-25}
REPS=${REPS:-9}
WARM=${WARM_PROBES:-40}
PCAP_DIR=${PCAP_DIR:-}
EHLO=probe.smtptls.test

die() { echo "probe-rtt.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces, Postfix)"
[ -f "$LAB" ] || die "latency lab not found at $LAB (set LATENCY_LAB)"
command -v openssl >/dev/null || die "openssl not found"
command -v java >/dev/null || die "java not found"
[ "$REPS" -ge 1 ] && [ "$DELAY" -ge 1 ] && [ "$WARM" -gt 10 ] || die "REPS, DELAY_MS must be positive, WARM_PROBES > 10"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/probe-rtt.XXXXXX")
chmod 755 "$WORK"   # the postfix user must reach the instances' directories

# Two labs: "0" without delay, "d" with DELAY ms one way. Both from the RFC 2544 range.
lab_env() {
  case "$1" in
    0) echo "LAB_NETNS=rttlab0 LAB_HOST_IF=rttlab0h LAB_NS_IF=rttlab0c LAB_HOST_ADDR=198.18.24.1 LAB_NS_ADDR=198.18.24.2 LAB_RUN_DIR=$WORK/lab0" ;;
    d) echo "LAB_NETNS=rttlabd LAB_HOST_IF=rttlabdh LAB_NS_IF=rttlabdc LAB_HOST_ADDR=198.18.25.1 LAB_NS_ADDR=198.18.25.2 LAB_RUN_DIR=$WORK/labd" ;;
  esac
}
lab() { local which=$1; shift; env $(lab_env "$which") bash "$LAB" "$@"; }
host_addr() { case "$1" in 0) echo 198.18.24.1 ;; d) echo 198.18.25.1 ;; esac; }

cleanup() {
  rc=$?
  trap '' INT TERM
  for w in 0 d; do
    "$ROOT/bench/postfix/postfix-lab.sh" stop "$WORK/pf$w" >/dev/null 2>&1 || true
    lab "$w" down >/dev/null 2>&1 || true
  done
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- what can run -------------------------------------------------------------------------
HAVE_JAR=false
if [ -f "$JAR" ] && java -jar "$JAR" probe --help >/dev/null 2>&1; then
  HAVE_JAR=true
else
  echo "note: $JAR missing or not runnable: no 'smtptls probe' rows" >&2
fi
if [ -n "${SMTPTLS_CLASSPATH:-}" ]; then CP=$SMTPTLS_CLASSPATH
elif $HAVE_JAR; then CP=$JAR
else CP=$ROOT/core/target/classes; fi
HAVE_API=false
if javac --release 17 -nowarn -cp "$CP" -d "$WORK/cls" "$ROOT/bench/java/ProbeOnce.java" 2>"$WORK/javac.log"; then
  HAVE_API=true
else
  echo "note: cannot compile bench/java/ProbeOnce.java against $CP: no API rows" >&2
  sed 's/^/  /' "$WORK/javac.log" >&2
fi

# ---- the labs and the Postfix instances ---------------------------------------------------
lab 0 up 0 >/dev/null
lab d up "$DELAY" >/dev/null
MODE=$(lab d status)
declare -A PORT ROOTPEM ADDR
HOST=
for w in 0 d; do
  "$ROOT/bench/postfix/postfix-lab.sh" start "$WORK/pf$w" "$(host_addr "$w")" >/dev/null
  props=$WORK/pf$w/postfix-lab.properties
  HOST=$(sed -n 's/^myhostname=//p' "$props")
  ADDR[$w]=$(sed -n 's/^address=//p' "$props")
  PORT[$w]=$(sed -n 's/^tlsPort=//p' "$props")
  ROOTPEM[$w]=$(sed -n 's/^rootPem=//p' "$props")
done

# ---- the clients: c_NAME WHICH; output in $OUT; non-zero if the chain was not obtained ------
# Each sets OWN to the client's own measure of the probe in ms, or "" if it has none.
OUT=$WORK/out
OWN=
c_openssl() {
  OWN=
  lab "$1" exec openssl s_client -starttls smtp -connect "${ADDR[$1]}:${PORT[$1]}" -servername "$HOST" \
      -CAfile "${ROOTPEM[$1]}" -verify_return_error </dev/null >"$OUT" 2>&1 || return 1
  grep -q 'Verify return code: 0' "$OUT"
}
c_probe() {
  local w=$1; shift
  lab "$w" exec java -jar "$JAR" probe "$HOST:${PORT[$w]}" --address "${ADDR[$w]}" --trust "${ROOTPEM[$w]}" \
      --revocation none --ehlo "$EHLO" --timeout 10s --json "$@" </dev/null >"$OUT" 2>"$OUT.err" || true
  OWN=$(grep -o '"durationMs" *: *[0-9]*' "$OUT" | head -n 1 | grep -o '[0-9]*$' || true)
  grep -Eq '"status" *: *"UPGRADED"' "$OUT"
}
c_probe_default() { c_probe "$1"; }
c_probe_fast() { c_probe "$1" --fast; }
# Peers that look names up on their own run with /etc/resolv.conf pointed at 127.0.0.1 in a
# private mount namespace, so nothing they ask leaves the machine.
printf 'nameserver 127.0.0.1\n' > "$WORK/resolv.conf"
# posttls-finger reads a main.cf: a minimal one of its own (the labs' name the host side).
mkdir -p "$WORK/ptf"
printf 'compatibility_level = 3.6\ninet_interfaces = all\nmyhostname = %s\nsmtp_dns_support_level = disabled\n' \
    "$EHLO" > "$WORK/ptf/main.cf"
c_posttls() {   # Postfix's own TLS probe: verifies the chain and the name, then QUIT
  OWN=
  lab "$1" exec unshare -m sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$WORK/resolv.conf" \
      env MAIL_CONFIG="$WORK/ptf" posttls-finger -c -l secure -F "${ROOTPEM[$1]}" -H "$EHLO" \
      "[${ADDR[$1]}]:${PORT[$1]}" "$HOST" \
      </dev/null >"$OUT" 2>&1 || return 1
  grep -q 'Verified TLS connection established' "$OUT"
}
c_swaks() {     # swaks --tls, stopping once TLS is up (the chain obtained, as the others)
  OWN=
  lab "$1" exec unshare -m sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$WORK/resolv.conf" \
      swaks --server "${ADDR[$1]}" --port "${PORT[$1]}" --helo "$EHLO" --tls --quit-after TLS \
      </dev/null >"$OUT" 2>&1 || return 1
  grep -q 'TLS started' "$OUT"
}
c_api() {
  lab "$1" exec java -cp "$CP:$WORK/cls" ProbeOnce "$HOST" "${PORT[$1]}" "${ADDR[$1]}" "$2" 1 </dev/null >"$OUT" 2>&1 || return 1
  OWN=$(awk '{ print $1 }' "$OUT")
}
c_api_default() { c_api "$1" true; }
c_api_fast() { c_api "$1" false; }

CLIENTS=(openssl)
LABELS=("openssl s_client -starttls smtp")
if command -v posttls-finger >/dev/null; then
  CLIENTS+=(posttls); LABELS+=("posttls-finger -l secure")
else
  echo "note: posttls-finger not found: no posttls-finger row" >&2
fi
if command -v swaks >/dev/null; then
  CLIENTS+=(swaks); LABELS+=("swaks --tls --quit-after TLS")
else
  echo "note: swaks not found: no swaks row" >&2
fi
if $HAVE_JAR; then
  CLIENTS+=(probe_default probe_fast)
  LABELS+=("smtptls probe" "smtptls probe --fast")
fi
if $HAVE_API; then
  CLIENTS+=(api_default api_fast)
  LABELS+=("API, cold JVM" "API, cold JVM, ehloAfterTls(false)")
fi

declare -A WALL OWNS   # "client which" -> "ms ms ..."

run_one() {   # client which
  local c=$1 w=$2 t0 t1
  t0=$EPOCHREALTIME
  if ! "c_$c" "$w"; then
    echo "probe-rtt.sh: client $c failed (lab $w); its output:" >&2
    tail -n 30 "$OUT" | sed 's/^/  /' >&2
    [ -f "$OUT.err" ] && tail -n 10 "$OUT.err" | sed 's/^/  /' >&2
    exit 1
  fi
  t1=$EPOCHREALTIME
  WALL["$c $w"]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }') "
  [ -z "$OWN" ] || OWNS["$c $w"]+="$OWN "
}

echo "warm-up (page cache, class data) ..." >&2
for c in "${CLIENTS[@]}"; do run_one "$c" 0; run_one "$c" d; done
WALL=(); OWNS=()
echo "measuring: $REPS repetitions x ${#CLIENTS[@]} clients x 2 labs ..." >&2
for ((i = 1; i <= REPS; i++)); do
  for c in "${CLIENTS[@]}"; do
    if ((i % 2)); then run_one "$c" 0; run_one "$c" d; else run_one "$c" d; run_one "$c" 0; fi
  done
done
declare -A WARMS
if $HAVE_API; then
  echo "warm probes in one JVM ($WARM each, first 10 skipped) ..." >&2
  for v in true false; do
    for w in 0 d; do
      lab "$w" exec java -cp "$CP:$WORK/cls" ProbeOnce "$HOST" "${PORT[$w]}" "${ADDR[$w]}" "$v" "$WARM" </dev/null >"$OUT" 2>&1 \
        || { cat "$OUT" >&2; die "warm API run failed"; }
      WARMS["$v $w"]=$(awk 'NR > 10 { printf "%s ", $1 }' "$OUT")
    done
  done
fi
if [ -n "$PCAP_DIR" ] && command -v dumpcap >/dev/null; then
  mkdir -p "$PCAP_DIR"
  for c in "${CLIENTS[@]}"; do
    # Not through the lab() function: $! must be dumpcap itself (env, bash and ip exec into
    # it), and a background job of a script ignores SIGINT, so stop it with TERM.
    env $(lab_env d) bash "$LAB" exec dumpcap -q -a duration:30 -i rttlabdc -f "tcp port ${PORT[d]}" \
        -w "$PCAP_DIR/$c.pcapng" >/dev/null 2>&1 &
    cap=$!
    sleep 1
    "c_$c" d || echo "probe-rtt.sh: client $c failed during the capture" >&2
    sleep 0.5
    kill -TERM "$cap" 2>/dev/null || true
    wait "$cap" 2>/dev/null || true
  done
  echo "client-side packet captures at ${DELAY} ms in $PCAP_DIR" >&2
fi

# ---- the table ----------------------------------------------------------------------------
median() { tr ' ' '\n' | awk 'NF' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rtt() { awk -v a="$1" -v b="$2" -v d="$DELAY" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.2f", (b - a) / (2 * d) }'; }
echo
echo "STARTTLS probe round trips against Postfix $(postconf -d -h mail_version 2>/dev/null), $(openssl version | cut -d' ' -f1-2), java $(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p')"
echo "lab: $MODE; RTT = (median@${DELAY}ms - median@0) / $((2 * DELAY)) ms; $REPS runs each"
printf '%-36s %9s %9s %6s   %9s %9s %6s\n' "client" "wall@0" "wall@$DELAY" "RTT" "own@0" "own@$DELAY" "RTT"
for i in "${!CLIENTS[@]}"; do
  c=${CLIENTS[$i]}
  a=$(echo "${WALL["$c 0"]:-}" | median); b=$(echo "${WALL["$c d"]:-}" | median)
  oa=$(echo "${OWNS["$c 0"]:-}" | median); ob=$(echo "${OWNS["$c d"]:-}" | median)
  printf '%-36s %9s %9s %6s   %9s %9s %6s\n' "${LABELS[$i]}" "$a" "$b" "$(rtt "$a" "$b")" "$oa" "$ob" "$(rtt "$oa" "$ob")"
done
if $HAVE_API; then
  for v in true false; do
    label="API, warm JVM"; [ "$v" = true ] || label="API, warm JVM, ehloAfterTls(false)"
    oa=$(echo "${WARMS["$v 0"]}" | median); ob=$(echo "${WARMS["$v d"]}" | median)
    printf '%-36s %9s %9s %6s   %9s %9s %6s\n' "$label" "-" "-" "-" "$oa" "$ob" "$(rtt "$oa" "$ob")"
  done
fi
echo "(ms; targets: chain and handshake in 5 RTT (--fast); whole probe with EHLO after TLS in 7, QUIT not awaited)"
