#!/usr/bin/env bash
# Generates a CRL with N revoked entries with OpenSSL: a throwaway CA, an index.txt with N "R"
# lines (random 16-octet serials, revocation dates over the past three years, mixed reasons, some
# without a reason), one `openssl ca -gencrl`.
#
#   bench/crl/gen-crl.sh N OUTDIR        # KEY=rsa (default, 2048 bits) or KEY=ec (P-256); SEED=1
#
# Writes OUTDIR/ca.pem (the CA certificate), OUTDIR/ca.key, OUTDIR/crl.pem, OUTDIR/crl.der,
# OUTDIR/serials.txt (the revoked serials in hex, for lookups).
set -euo pipefail

if [ $# -ne 2 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 N OUTDIR" >&2
  exit 2
fi
N=$1
OUT=$2
KEY=${KEY:-rsa}
SEED=${SEED:-1}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
W="$OUT/ca"
rm -rf "$W"
mkdir -p "$W"

case "$KEY" in
  rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$OUT/ca.key" 2>/dev/null ;;
  ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$OUT/ca.key" ;;
  *) echo "KEY must be rsa or ec" >&2; exit 2 ;;
esac
openssl req -x509 -new -key "$OUT/ca.key" -subj "/C=DE/O=smtptls bench/CN=smtptls Bench CRL CA" \
  -days 3650 -sha256 -out "$OUT/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash"

cat > "$W/ca.cnf" <<CNF
[ ca ]
default_ca = bench
[ bench ]
dir = $W
database = $W/index.txt
new_certs_dir = $W
certificate = $OUT/ca.pem
private_key = $OUT/ca.key
serial = $W/serial
crlnumber = $W/crlnumber
default_md = sha256
default_crl_days = 7
crl_extensions = crl_ext
policy = anything
[ anything ]
commonName = optional
[ crl_ext ]
authorityKeyIdentifier = keyid:always
CNF
echo "unique_subject = no" > "$W/index.txt.attr"
echo 1000 > "$W/crlnumber"
echo 01 > "$W/serial"

# index.txt: status, expiry, revocation[,reason], serial (hex), file, subject -- tab separated.
python3 - "$N" "$SEED" "$W/index.txt" "$OUT/serials.txt" <<'PY'
import random, sys, time
n, seed, index, serials = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rnd = random.Random(seed)
reasons = ["", ",unspecified", ",keyCompromise", ",superseded", ",cessationOfOperation",
           ",affiliationChanged", ",superseded", ",cessationOfOperation", ""]
now = int(time.time())
seen = set()
with open(index, "w") as f, open(serials, "w") as s:
    while len(seen) < n:
        serial = "%032X" % rnd.getrandbits(128)
        if serial in seen:
            continue
        seen.add(serial)
        revoked = time.strftime("%y%m%d%H%M%SZ", time.gmtime(now - rnd.randrange(3 * 365 * 86400)))
        f.write("R\t300101000000Z\t%s%s\t%s\tunknown\t/CN=leaf-%d\n"
                % (revoked, rnd.choice(reasons), serial, len(seen)))
        s.write(serial + "\n")
PY

openssl ca -batch -config "$W/ca.cnf" -gencrl -out "$OUT/crl.pem" 2>"$W/ca.log" || { cat "$W/ca.log" >&2; exit 1; }
openssl crl -in "$OUT/crl.pem" -outform DER -out "$OUT/crl.der"
echo "$OUT/crl.der: $N entries, $(stat -c %s "$OUT/crl.der") bytes" >&2
