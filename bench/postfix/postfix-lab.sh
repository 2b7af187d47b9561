#!/usr/bin/env bash
# A self-contained Postfix instance for tests and benchmarks: its own configuration, queue
# and data directories under DIR, a certificate chain generated for this run, and four
# smtpd listeners on free ephemeral ports. Needs root (Postfix's master runs as root and
# drops to the `postfix` user that Debian's postfix package creates). Touches nothing of
# the system's Postfix (/etc/postfix is read only for the package's own postfix-files).
#
#   postfix-lab.sh start DIR [BIND_ADDR]   (BIND_ADDR default 127.0.0.1)
#   postfix-lab.sh stop DIR
#   postfix-lab.sh log DIR                 (prints Postfix's log)
#
# start writes DIR/postfix-lab.properties:
#   myhostname   the name in the greeting and in the leaf certificate's SAN
#   address      the address the listeners are bound to
#   tlsPort      smtpd_tls_security_level=may, presenting chainPem
#   plainPort    smtpd_tls_security_level=none (no STARTTLS)
#   encryptPort  smtpd_tls_security_level=encrypt (STARTTLS required before MAIL)
#   revokedPort  smtpd_tls_security_level=may, presenting revokedChainPem: a second leaf for
#                myhostname from the same intermediate, for tests that list it on a CRL
#   chainPem     the chain the server presents, leaf first (leaf + intermediate)
#   rootPem      the root that issued the intermediate
#   leafSerial, revokedSerial   the two leaves' serial numbers (hex, as openssl prints them)
#   revokedChainPem             the chain of the revoked listener (revoked leaf + intermediate)
#   intermediateCertPem, intermediateKeyPem, rootCertPem, rootKeyPem
#                the CA certificates and their keys (PEM, PKCS#8), so that tests can sign CRLs
#   crlPort      a free ephemeral port on address, chosen at start; nothing listens on it:
#                the test that wants CRLs serves them there
#   crlBaseUrl   http://address:crlPort; both leaves name crlBaseUrl/intermediate.crl as their
#                CRL distribution point, the intermediate names crlBaseUrl/root.crl
#   configDir    the instance's configuration directory (for postsuper/postqueue/sendmail -C)
#   sinkPort     a free ephemeral port on address, chosen at start like crlPort; nothing listens
#                on it: a test that wants to receive from Postfix's SMTP client (smtptls's
#                SmtpTlsSink) listens there
#   clientChainPem, clientKeyPem  the client certificate (leaf for myhostname, serverAuth and
#                clientAuth, issued by the intermediate) + intermediate, and its key
# smtpd never accepts mail from the network (every recipient rejected) and never looks up DNS
# names for clients. Mail injected locally (sendmail -C configDir) is delivered by the SMTP
# client to address:sinkPort only, by recipient domain (a static transport map, no DNS):
#   plain.sink.smtptls.test     no TLS (smtp_tls_security_level = none)
#   may.sink.smtptls.test       opportunistic TLS, no client certificate (may)
#   encrypt.sink.smtptls.test   mandatory TLS, no client certificate (encrypt)
#   cert.sink.smtptls.test      mandatory TLS presenting clientChainPem (encrypt + smtp_tls_cert_file)
# Any other domain gets the error transport. Deferred mail is not retried for an hour.
set -euo pipefail

MYHOSTNAME=${POSTFIX_LAB_HOSTNAME:-mx.smtptls.test}
READY_TIMEOUT=${POSTFIX_LAB_READY_TIMEOUT:-30}
DAEMON_DIR=$(postconf -c /nonexistent -dh daemon_directory 2>/dev/null || echo /usr/lib/postfix/sbin)

die() { echo "postfix-lab.sh: $*" >&2; exit 1; }
usage() { die "usage: postfix-lab.sh start DIR [BIND_ADDR] | stop DIR | log DIR"; }

need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found${2:+: $2}"; }

show_log() {
  local dir=$1
  if [ -s "$dir/log/maillog" ]; then
    echo "---- Postfix log ($dir/log/maillog) ----" >&2
    tail -n 200 "$dir/log/maillog" >&2
    echo "---- end of Postfix log ----" >&2
  else
    echo "(no Postfix log at $dir/log/maillog)" >&2
  fi
}

# free_ports ADDR COUNT [EXCLUDED_PORT...]: COUNT distinct free TCP ports on an address, none
# of them excluded, found by binding port 0 (all held at once so they differ).
free_ports() {
  python3 - "$@" <<'PY'
import socket, sys
addr, count, excluded = sys.argv[1], int(sys.argv[2]), {int(p) for p in sys.argv[3:]}
socks, ports = [], []
while len(ports) < count:
    if len(socks) > count + 64:
        sys.exit("no free ports")
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
    s.bind((addr, 0))
    socks.append(s)
    port = s.getsockname()[1]
    if port not in excluded:
        ports.append(port)
print(" ".join(str(p) for p in ports))
for s in socks:
    s.close()
PY
}

# The host part of a URL for an address: IPv6 literals in brackets.
url_host() {
  case "$1" in *:*) echo "[$1]" ;; *) echo "$1" ;; esac
}

# The serial number of a certificate, in hex as openssl prints it.
serial() {
  openssl x509 -noout -serial -in "$1" | sed 's/^serial=//'
}

# make_pki DIR HOST CRL_BASE_URL: root, intermediate (CRL DP CRL_BASE_URL/root.crl), and two
# leaves for HOST (CRL DP CRL_BASE_URL/intermediate.crl): leaf and revoked.
make_pki() {
  local t=$1 host=$2 crl=$3
  mkdir -p "$t"
  (
    cd "$t"
    umask 077
    local days=30
    openssl req -x509 -new -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days "$days" \
      -subj "/O=smtptls test/CN=smtptls test root $(date +%s)" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -new -newkey rsa:2048 -nodes -keyout int.key -out int.csr \
      -subj "/O=smtptls test/CN=smtptls test intermediate" 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:TRUE,pathlen:0" \
      "keyUsage=critical,keyCertSign,cRLSign" \
      "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" \
      "crlDistributionPoints=URI:$crl/root.crl" > int.ext
    openssl x509 -req -in int.csr -CA root.pem -CAkey root.key -CAcreateserial \
      -out int.pem -days "$days" -sha256 -extfile int.ext 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" "subjectAltName=DNS:$host" \
      "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" \
      "crlDistributionPoints=URI:$crl/intermediate.crl" > leaf.ext
    local name
    for name in leaf revoked; do
      openssl req -new -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" \
        -subj "/CN=$host" 2>/dev/null
      # -CAcreateserial: a random first serial, then int.srl counts on, so the leaves differ.
      openssl x509 -req -in "$name.csr" -CA int.pem -CAkey int.key -CAcreateserial \
        -out "$name.pem" -days "$days" -sha256 -extfile leaf.ext 2>/dev/null
    done
    printf '%s\n' "basicConstraints=critical,CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:$host" \
      "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" > client.ext
    openssl req -new -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=$host" 2>/dev/null
    openssl x509 -req -in client.csr -CA int.pem -CAkey int.key -CAcreateserial \
      -out client.pem -days "$days" -sha256 -extfile client.ext 2>/dev/null
    cat client.pem int.pem > client-chain.pem
    cat leaf.pem int.pem > chain.pem
    cat revoked.pem int.pem > revoked-chain.pem
    rm -f ./*.csr ./*.ext ./*.srl
    chmod 644 root.pem int.pem leaf.pem chain.pem revoked.pem revoked-chain.pem client.pem client-chain.pem
    # The CA keys are throwaway test keys that tests read to sign CRLs, possibly as another user.
    chmod 644 root.key int.key
    openssl verify -CAfile root.pem -untrusted int.pem leaf.pem >/dev/null
    openssl verify -CAfile root.pem -untrusted int.pem revoked.pem >/dev/null
    [ "$(serial leaf.pem)" != "$(serial revoked.pem)" ]
  ) || die "could not generate the test certificates in $t"
}

write_config() {
  local dir=$1 addr=$2 tls=$3 plain=$4 enc=$5 rev=$6 sinkport=$7
  local etc=$dir/etc listen=$addr
  case "$addr" in *:*) listen="[$addr]" ;; esac
  cat > "$etc/main.cf" <<CF
# Generated by postfix-lab.sh for a test instance; not a system configuration.
compatibility_level = 3.6
config_directory = $etc
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $dir/log/maillog
maillog_file_prefixes = $dir/log
syslog_name = postfix-lab

myhostname = $MYHOSTNAME
mydomain = smtptls.test
myorigin = \$myhostname
smtpd_banner = \$myhostname ESMTP
inet_interfaces = $addr
inet_protocols = $( case "$addr" in *:*) echo ipv6 ;; *) echo ipv4 ;; esac )
mynetworks = 127.0.0.0/8 [::1]/128

# No DNS for clients, no delivery anywhere.
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
mydestination =
relay_domains =
relayhost =
local_recipient_maps =
alias_maps =
alias_database =
default_transport = error:postfix-lab delivers nothing
local_transport = error:postfix-lab delivers nothing
smtpd_relay_restrictions = reject
smtpd_recipient_restrictions = reject
biff = no
smtputf8_enable = no

# TLS: the generated chain (leaf + intermediate) and its key.
smtpd_tls_cert_file = $dir/pki/chain.pem
smtpd_tls_key_file = $dir/pki/leaf.key
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_session_cache_database =
smtpd_tls_received_header = no
tls_random_source = dev:/dev/urandom

# The SMTP client: only where the transport map sends it (tests point it at their own
# receiver on loopback), with per-destination TLS levels from the policy map.
transport_maps = hash:$etc/transport
smtp_tls_security_level = none
smtp_tls_loglevel = 1
smtp_tls_session_cache_database =
smtp_connection_cache_on_demand = no
smtp_host_lookup = native
delay_warning_time = 0
bounce_queue_lifetime = 0
queue_run_delay = 3600s
minimal_backoff_time = 3600s
maximal_backoff_time = 3600s

# Be quick to start and stop.
smtpd_error_sleep_time = 0
CF
  printf '%s\n' "plain.sink.smtptls.test   sinkplain:[$addr]:$sinkport" \
    "may.sink.smtptls.test     sinkmay:[$addr]:$sinkport" \
    "encrypt.sink.smtptls.test sinkencrypt:[$addr]:$sinkport" \
    "cert.sink.smtptls.test    sinkcert:[$addr]:$sinkport" > "$etc/transport"
  postmap -c "$etc" "hash:$etc/transport"

  cat > "$etc/master.cf" <<CF
# Generated by postfix-lab.sh. Listeners on ephemeral ports; the SMTP client delivers only
# where the transport map says (tests' own receivers on loopback).
$listen:$tls      inet n - n - - smtpd -o syslog_name=postfix-lab/tls -o smtpd_tls_security_level=may
$listen:$plain    inet n - n - - smtpd -o syslog_name=postfix-lab/plain -o smtpd_tls_security_level=none
$listen:$enc      inet n - n - - smtpd -o syslog_name=postfix-lab/encrypt -o smtpd_tls_security_level=encrypt
$listen:$rev      inet n - n - - smtpd -o syslog_name=postfix-lab/revoked -o smtpd_tls_security_level=may -o smtpd_tls_cert_file=$dir/pki/revoked-chain.pem -o smtpd_tls_key_file=$dir/pki/revoked.key
cleanup   unix n - n - 0 cleanup
tlsmgr    unix - - n 1000? 1 tlsmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n - - proxymap
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
pickup    unix n - n 60 1 pickup
qmgr      unix n - n 300 1 qmgr
smtp      unix - - n - - smtp
sinkplain unix - - n - - smtp -o smtp_tls_security_level=none
sinkmay   unix - - n - - smtp -o smtp_tls_security_level=may
sinkencrypt unix - - n - - smtp -o smtp_tls_security_level=encrypt
sinkcert  unix - - n - - smtp -o smtp_tls_security_level=encrypt -o smtp_tls_cert_file=$dir/pki/client-chain.pem -o smtp_tls_key_file=$dir/pki/client.key
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
CF
}

# wait_ready ADDR TIMEOUT ROOT HOST PORT:SERIAL... Connects to each listener, reads the
# greeting and sends EHLO. Where SERIAL is given (tls, encrypt, revoked), STARTTLS must be
# offered and answered 220, the TLS handshake must verify against the generated root for
# myhostname (Postfix offers STARTTLS even when its certificate failed to load, and then
# answers 454), and the leaf must have that serial (hex); where it is empty (plain), STARTTLS
# must not be offered. Polls until all pass or timeout.
wait_ready() {
  python3 - "$@" <<'PY'
import socket, ssl, sys, time
addr, timeout, root, host = sys.argv[1:5]
timeout = float(timeout)
want = {}
for spec in sys.argv[5:]:
    port, _, serial = spec.partition(":")
    want[int(port)] = serial.upper() or None
deadline = time.monotonic() + timeout
last = {}
ctx = ssl.create_default_context(cafile=root)

def reply(f):
    lines = []
    while True:
        line = f.readline(4096)
        if not line:
            raise OSError("connection closed")
        lines.append(line.decode("ascii", "replace").rstrip("\r\n"))
        if len(line) < 4 or line[3:4] != b"-":
            return lines

def check(port, serial):
    starttls = serial is not None
    with socket.create_connection((addr, port), timeout=3) as s:
        f = s.makefile("rb")
        g = reply(f)
        if not g[0].startswith("220"):
            raise OSError("greeting: " + " | ".join(g))
        s.sendall(b"EHLO ready.smtptls.test\r\n")
        e = reply(f)
        if not e[0].startswith("250"):
            raise OSError("EHLO: " + " | ".join(e))
        has = any(l[4:].strip().upper() == "STARTTLS" for l in e)
        if has != starttls:
            raise OSError("STARTTLS %s in EHLO reply: %s" % ("missing" if starttls else "unexpected", " | ".join(e)))
        if not starttls:
            s.sendall(b"QUIT\r\n")
            return
        s.sendall(b"STARTTLS\r\n")
        r = reply(f)
        if not r[0].startswith("220"):
            raise OSError("STARTTLS answered: " + " | ".join(r))
        with ctx.wrap_socket(s, server_hostname=host) as t:
            got = t.getpeercert().get("serialNumber", "").upper().lstrip("0")
            if got != serial.lstrip("0"):
                raise OSError("leaf serial %s, expected %s" % (got, serial))
            tf = t.makefile("rb")
            t.sendall(b"EHLO ready.smtptls.test\r\n")
            e2 = reply(tf)
            if not e2[0].startswith("250"):
                raise OSError("EHLO over TLS: " + " | ".join(e2))
            t.sendall(b"QUIT\r\n")

pending = dict(want)
while pending:
    for port, serial in list(pending.items()):
        try:
            check(port, serial)
            del pending[port]
        except (OSError, ssl.SSLError) as e:
            last[port] = str(e)
    if not pending:
        break
    if time.monotonic() > deadline:
        for port in pending:
            print("postfix-lab.sh: %s:%d not ready: %s" % (addr, port, last.get(port)), file=sys.stderr)
        sys.exit(1)
    time.sleep(0.1)
PY
}

cmd_start() {
  local dir=${1:-} addr=${2:-127.0.0.1}
  [ -n "$dir" ] || usage
  [ "$(id -u)" = 0 ] || die "needs root (Postfix's master runs as root)"
  need postfix "install Debian's postfix package"
  need openssl
  need python3
  id postfix >/dev/null 2>&1 || die "no 'postfix' user: install Debian's postfix package"
  getent group postdrop >/dev/null || die "no 'postdrop' group: install Debian's postfix package"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # (Postfix keeps its pid in queue/pid/master.pid; status asks the master's lock.)
  if [ -f "$dir/etc/main.cf" ] && postfix -c "$dir/etc" status >/dev/null 2>&1; then
    die "an instance is already running in $dir (stop it first)"
  fi
  # Postfix insists that the queue directory and its parents are owned by root and not
  # writable by others; mktemp -d gives 700, which the postfix user must be able to cross.
  chown root "$dir"; chmod 755 "$dir"
  if command -v runuser >/dev/null 2>&1 && ! runuser -u postfix -- test -x "$dir"; then
    die "the postfix user cannot reach $dir: a parent directory is not searchable by others (chmod o+x it)"
  fi
  rm -rf "$dir/etc" "$dir/queue" "$dir/data" "$dir/log" "$dir/pki" "$dir/postfix-lab.properties"
  mkdir -p "$dir/etc" "$dir/log" "$dir/pki" "$dir/queue"
  chmod 755 "$dir/queue"
  # The CRL port goes into the certificates, so it is chosen once, before them; nothing listens
  # on it here (the tests serve their CRLs there), and Postfix's ports are chosen apart from it.
  local crl_port crl_base
  local sink_port
  read -r crl_port sink_port <<<"$(free_ports "$addr" 2)" || die "cannot bind a port on $addr"
  crl_base="http://$(url_host "$addr"):$crl_port"
  make_pki "$dir/pki" "$MYHOSTNAME" "$crl_base"
  local leaf_serial revoked_serial
  leaf_serial=$(serial "$dir/pki/leaf.pem")
  revoked_serial=$(serial "$dir/pki/revoked.pem")

  local attempt ports tls plain enc rev
  for attempt in 1 2 3; do
    ports=$(free_ports "$addr" 4 "$crl_port" "$sink_port") || die "cannot bind a port on $addr"
    read -r tls plain enc rev <<<"$ports"
    write_config "$dir" "$addr" "$tls" "$plain" "$enc" "$rev" "$sink_port"
    if ! out=$(postfix -c "$dir/etc" check 2>&1); then
      echo "$out" >&2; show_log "$dir"; die "postfix check failed for $dir/etc"
    fi
    [ -z "$out" ] || echo "$out" >&2
    if out=$(postfix -c "$dir/etc" start 2>&1) \
       && wait_ready "$addr" "$READY_TIMEOUT" "$dir/pki/root.pem" "$MYHOSTNAME" \
            "$tls:$leaf_serial" "$plain:" "$enc:$leaf_serial" "$rev:$revoked_serial"; then
      break
    fi
    echo "$out" >&2
    postfix -c "$dir/etc" abort >/dev/null 2>&1 || true
    sleep 0.2
    if [ "$attempt" -lt 3 ] && grep -q 'Address already in use' "$dir/log/maillog" 2>/dev/null; then
      echo "postfix-lab.sh: a port was taken meanwhile; trying other ports" >&2
      : > "$dir/log/maillog"
      continue
    fi
    show_log "$dir"
    die "Postfix did not start in $dir"
  done

  local props=$dir/postfix-lab.properties
  {
    echo "# postfix-lab.sh $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "myhostname=$MYHOSTNAME"
    echo "address=$addr"
    echo "tlsPort=$tls"
    echo "plainPort=$plain"
    echo "encryptPort=$enc"
    echo "revokedPort=$rev"
    echo "chainPem=$dir/pki/chain.pem"
    echo "rootPem=$dir/pki/root.pem"
    echo "leafSerial=$leaf_serial"
    echo "revokedSerial=$revoked_serial"
    echo "revokedChainPem=$dir/pki/revoked-chain.pem"
    echo "intermediateCertPem=$dir/pki/int.pem"
    echo "intermediateKeyPem=$dir/pki/int.key"
    echo "rootCertPem=$dir/pki/root.pem"
    echo "rootKeyPem=$dir/pki/root.key"
    echo "crlPort=$crl_port"
    echo "crlBaseUrl=$crl_base"
    echo "configDir=$dir/etc"
    echo "sinkPort=$sink_port"
    echo "clientChainPem=$dir/pki/client-chain.pem"
    echo "clientKeyPem=$dir/pki/client.key"
  } > "$props.tmp"
  mv "$props.tmp" "$props"
  echo "postfix-lab: $MYHOSTNAME on $addr tls=$tls plain=$plain encrypt=$enc revoked=$rev crl=$crl_port sink=$sink_port (served by the tests) ($props)"
}

cmd_stop() {
  local dir=${1:-}
  [ -n "$dir" ] || usage
  [ -f "$dir/etc/main.cf" ] || { echo "postfix-lab: nothing configured in $dir"; return 0; }
  # The master's pid (Postfix keeps it in queue/pid/master.pid), read only while it runs, so a
  # stale file never names another process.
  local pid=""
  if postfix -c "$dir/etc" status >/dev/null 2>&1; then
    [ -s "$dir/queue/pid/master.pid" ] && pid=$(tr -d ' ' < "$dir/queue/pid/master.pid")
    postfix -c "$dir/etc" stop >/dev/null 2>&1 || postfix -c "$dir/etc" abort >/dev/null 2>&1 || true
  fi
  # Bounded wait for the master to go away.
  if [ -n "$pid" ]; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  echo "postfix-lab: stopped ($dir)"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  log) shift; [ -n "${1:-}" ] || usage; show_log "$1" 2>&1 ;;
  *) usage ;;
esac
