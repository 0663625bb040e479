/// Test credentials for the board's self-test (`p2psip selftest`): a root and two peers it
/// signed, ECDSA P-256, made with the openssl command line (`openssl ca -selfsign` for the root,
/// `openssl ca` for the peers, basicConstraints and keyUsage as in Tests/LinkTests/TestPKI).
/// Valid from 1970 to 2125 so that a board whose clock is not set yet (no RTC, before NTP)
/// still passes. Public test keys: never trust them for anything else.
enum LinkSelfTestCredentials {
    static let rootCertificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBcTCCARegAwIBAgIBATAKBggqhkjOPQQDAjAfMR0wGwYDVQQDDBRwMnBzaXAg
        c2VsZnRlc3Qgcm9vdDAgFw03MDAxMDEwMDAwMDBaGA8yMTI1MDEwMTAwMDAwMFow
        HzEdMBsGA1UEAwwUcDJwc2lwIHNlbGZ0ZXN0IHJvb3QwWTATBgcqhkjOPQIBBggq
        hkjOPQMBBwNCAARzSvbN+Zs0lcsetgKhE6hmZQQM4eHcXuxwQH4QlxSoOpjf7A6b
        MIiNreSD3Yp+gDT0KFEf3nUF6no+LSzzWOpVo0IwQDAPBgNVHRMBAf8EBTADAQH/
        MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUB4fFMj5TCFJ6/xFsKtP2yOg+7m8w
        CgYIKoZIzj0EAwIDSAAwRQIgDMu8lhN73LH4yBiRdBEbC/GgVXUh6314bS3/ibIR
        Pv4CIQDsiY5OWZH7f0UVF5XTZLdHyhpOADXThpZktK4WL+qhLg==
        -----END CERTIFICATE-----
        """
    static let aliceCertificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBiDCCAS+gAwIBAgIBAjAKBggqhkjOPQQDAjAfMR0wGwYDVQQDDBRwMnBzaXAg
        c2VsZnRlc3Qgcm9vdDAgFw03MDAxMDEwMDAwMDBaGA8yMTI1MDEwMTAwMDAwMFow
        GTEXMBUGA1UEAwwOc2VsZnRlc3QgYWxpY2UwWTATBgcqhkjOPQIBBggqhkjOPQMB
        BwNCAAR6prlw4m2Y4e8MNHs7B/jkKNk3wg6wWhXiA//oJhe+FG2E/FVZMS8xhxL8
        4r3fJtAcYR1A42TP2ffYFxXDCS7bo2AwXjAMBgNVHRMBAf8EAjAAMA4GA1UdDwEB
        /wQEAwIHgDAdBgNVHQ4EFgQUQIynVW90biJgGDMSK+qxEXRGSOAwHwYDVR0jBBgw
        FoAUB4fFMj5TCFJ6/xFsKtP2yOg+7m8wCgYIKoZIzj0EAwIDRwAwRAIgbnmmoH6A
        uCmTYZoZW4ReJsYsquIKwpjDM4b5yS4fX8cCIF8NDNMezse6erBkkpX6Rb3Dg4aS
        kk3QPGeBIwuVNkNB
        -----END CERTIFICATE-----
        """
    static let aliceKeyPEM = """
        -----BEGIN EC PRIVATE KEY-----
        MHcCAQEEIL6bcneiw/phQd4r8Ymu8vKlFbkcgOhuOq9DZEZrzAuXoAoGCCqGSM49
        AwEHoUQDQgAEeqa5cOJtmOHvDDR7Owf45CjZN8IOsFoV4gP/6CYXvhRthPxVWTEv
        MYcS/OK93ybQHGEdQONkz9n32BcVwwku2w==
        -----END EC PRIVATE KEY-----
        """
    static let bobCertificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBhjCCAS2gAwIBAgIBAzAKBggqhkjOPQQDAjAfMR0wGwYDVQQDDBRwMnBzaXAg
        c2VsZnRlc3Qgcm9vdDAgFw03MDAxMDEwMDAwMDBaGA8yMTI1MDEwMTAwMDAwMFow
        FzEVMBMGA1UEAwwMc2VsZnRlc3QgYm9iMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD
        QgAEr9WQGXUx0IQQEcf7z7e3jqigLhDUypWJ3m9+XpGmM/splqnPdGZgmeUiK7a9
        H3TVHJGqf0siO9mOK8uJsIHdZqNgMF4wDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8E
        BAMCB4AwHQYDVR0OBBYEFKgUnfXVjNIIpMYAuFJVmoxd9hltMB8GA1UdIwQYMBaA
        FAeHxTI+UwhSev8RbCrT9sjoPu5vMAoGCCqGSM49BAMCA0cAMEQCIHmvacKvaqxI
        pFg3PGOczGyn/0ilM50NJPqOOFZ4MxgXAiAuluseYRMV7DfZURzGZCIX4hL+1Khn
        /oK5uJp1cB1wzQ==
        -----END CERTIFICATE-----
        """
    static let bobKeyPEM = """
        -----BEGIN EC PRIVATE KEY-----
        MHcCAQEEIMuf3P5jXv2sdy4rPPvx12RH8pPYeWMLodNYVJu7yT/qoAoGCCqGSM49
        AwEHoUQDQgAEr9WQGXUx0IQQEcf7z7e3jqigLhDUypWJ3m9+XpGmM/splqnPdGZg
        meUiK7a9H3TVHJGqf0siO9mOK8uJsIHdZg==
        -----END EC PRIVATE KEY-----
        """
}
