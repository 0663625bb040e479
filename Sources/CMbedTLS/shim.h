#ifndef P2PSIP_CMBEDTLS_SHIM_H
#define P2PSIP_CMBEDTLS_SHIM_H
// Every mbedTLS header p2psip uses, in one place, so that a move to mbedTLS 3.6 is a change
// here and in the Swift owner types of Crypto and Link, nowhere else.
#include <mbedtls/version.h>
#include <mbedtls/error.h>
#include <mbedtls/md.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/rsa.h>
#include <mbedtls/pk.h>
#include <mbedtls/pem.h>
#include <mbedtls/oid.h>
#include <mbedtls/asn1.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/x509.h>
#include <mbedtls/x509_crt.h>
#include <mbedtls/x509_csr.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/base64.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cookie.h>

// mbedtls_pk_ec is a static inline in pk.h that Swift imports; this names the curve id of an
// EC key without touching the struct layout from Swift.
static inline int p2psip_pk_ec_group_id(const mbedtls_pk_context *pk) {
    if (mbedtls_pk_get_type(pk) != MBEDTLS_PK_ECKEY && mbedtls_pk_get_type(pk) != MBEDTLS_PK_ECDSA) {
        return MBEDTLS_ECP_DP_NONE;
    }
    return (int)mbedtls_pk_ec(*pk)->grp.id;
}

// Completes a key pair read from its scalar: Q = d*G (mbedtls_ecp_read_key sets d only).
static inline int p2psip_ecp_complete_public(mbedtls_ecp_keypair *keypair,
                                             int (*f_rng)(void *, unsigned char *, size_t),
                                             void *p_rng) {
    return mbedtls_ecp_mul(&keypair->grp, &keypair->Q, &keypair->d, &keypair->grp.G, f_rng, p_rng);
}

// The description byte of the fatal alert that made mbedtls_ssl_handshake/read return
// MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE (RFC 5246 §7.2: level, description). mbedTLS 2.28 has
// no accessor; the record is still in in_msg. -1 when there is no alert there.
static inline int p2psip_ssl_last_alert_description(const mbedtls_ssl_context *ssl) {
    if (ssl->in_msg == NULL || ssl->in_msgtype != MBEDTLS_SSL_MSG_ALERT || ssl->in_msglen < 2) {
        return -1;
    }
    return ssl->in_msg[1];
}

#endif
