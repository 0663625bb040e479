#!/usr/bin/env bash
# How the test identities in this folder were made (run once; the outputs are committed and
# Fixtures.swift carries the same bytes as hex). OpenSSL 3 from Debian 12.
#   alice: ECDSA P-256, the key type p2psip signs with (RFC 6940 §6.3.4 lets the overlay choose)
#   bob:   RSA 2048, for RSASSA-PKCS1-v1_5 with SHA-256, which every peer MUST verify (§6.3.4)
# Both are self-signed (§11.3.1 style) with a reload:// URI and a user name in subjectAltName
# (§11.3); the Node-IDs are 0x11.. (alice) and 0x22.. (bob), 16 bytes each. The subject is a CN,
# not the empty DN of §11.3: mbedTLS 2.28 refuses an empty subject Name
# (MBEDTLS_ERR_X509_INVALID_NAME + MBEDTLS_ERR_ASN1_OUT_OF_DATA, -0x23e0).
set -euo pipefail
cd "$(dirname "$0")"
openssl ecparam -name prime256v1 -genkey -noout -out alice-p256.key.pem
openssl req -new -x509 -key alice-p256.key.pem -days 36500 -subj "/CN=alice" -sha256 \
  -addext "subjectAltName=URI:reload://01101111111111111111111111111111111111@example.org/,email:alice@example.org" \
  -out alice-p256.cert.pem
openssl genrsa -out bob-rsa2048.key.pem 2048
openssl req -new -x509 -key bob-rsa2048.key.pem -days 36500 -subj "/CN=bob" -sha256 \
  -addext "subjectAltName=URI:reload://01102222222222222222222222222222222222@example.org/,email:bob@example.org" \
  -out bob-rsa2048.cert.pem
for name in alice-p256 bob-rsa2048; do
  openssl x509 -in $name.cert.pem -outform DER -out $name.cert.der
done
