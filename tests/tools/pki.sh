#!/bin/sh
# A small PKI for the signature tests, made with the OpenSSL CLI in the current folder:
#   ca.pem / ca.key           the root CA ("Test Root CA"), the trust anchor
#   karin.p12, lin.p12        Malmö's and Kaohsiung's signatories (password `secret`),
#                             issued by the CA, with the CA in the file; their certificates
#                             name the OCSP responder at $1 (http://127.0.0.1:PORT) and a CRL
#   old.p12                   a certificate that expired in 2021
#   tsa.pem / tsa.key         the timestamp authority (extendedKeyUsage timeStamping), its
#                             certificate naming the same OCSP responder
#   ocsp.pem / ocsp.key       the OCSP responder (extendedKeyUsage OCSPSigning)
#   ts.cnf, index.txt         `openssl ts` and `openssl ocsp`/`openssl ca` configuration
#   ca.crl                    the CA's CRL (nothing revoked)
# Usage: sh pki.sh OCSP_URL
set -e
OCSP_URL=${1:-http://127.0.0.1:9/}
: > index.txt
echo 1000 > serial
echo 01 > crlnumber
cat > ca.cnf <<CNF
[ca]
default_ca = d
[d]
database = index.txt
serial = serial
crlnumber = crlnumber
new_certs_dir = .
default_md = sha256
default_crl_days = 30
policy = p
unique_subject = no
copy_extensions = none
[p]
commonName = supplied
organizationName = optional
[root]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[signer]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation
authorityInfoAccess = OCSP;URI:$OCSP_URL
crlDistributionPoints = URI:http://127.0.0.1:9/ca.crl
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[tsa]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
authorityInfoAccess = OCSP;URI:$OCSP_URL
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ocsp]
basicConstraints = CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -subj "/CN=Test Root CA" \
  -days 3650 -config ca.cnf -extensions root -utf8 2>/dev/null
issue() { # name subject extensions [dates]
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" -utf8 2>/dev/null
  openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in "$1.csr" -notext \
    -extensions "$3" -utf8 $4 -out "$1.pem" 2>/dev/null
}
issue karin "/CN=Karin Bergqvist/O=City of Malmö" signer "-days 365"
issue lin "/CN=Lin Chia-hao/O=Kaohsiung City Government" signer "-days 365"
issue old "/CN=Old Signer" signer "-startdate 20200101000000Z -enddate 20210101000000Z"
issue tsa "/CN=Test TSA" tsa "-days 365"
issue ocsp "/CN=Test OCSP Responder" ocsp "-days 365"
for n in karin lin old; do
  openssl pkcs12 -export -inkey $n.key -in $n.pem -certfile ca.pem -passout pass:secret -out $n.p12
done
openssl ca -config ca.cnf -cert ca.pem -keyfile ca.key -gencrl -out ca.crl.pem 2>/dev/null
openssl crl -in ca.crl.pem -outform DER -out ca.crl
echo 01 > tsaserial
cat > ts.cnf <<CNF
[tsa]
default_tsa = t
[t]
serial = tsaserial
crypto_device = builtin
signer_cert = tsa.pem
certs = ca.pem
signer_key = tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
CNF
