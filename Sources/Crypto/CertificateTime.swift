import CMbedTLS
import Wire

/// A point in time as X.509 writes it (UTC, to the second): the calendar time of Wire, so that
/// Crypto and Config count seconds the same way.
public typealias CertificateTime = CivilTime

extension CivilTime {
    init(_ time: mbedtls_x509_time) {
        self.init(year: Int(time.year), month: Int(time.mon), day: Int(time.day),
                  hour: Int(time.hour), minute: Int(time.min), second: Int(time.sec))
    }

    /// "YYYYMMDDhhmmss", the form mbedtls_x509write_crt_set_validity takes.
    var mbedTLSValidityString: String {
        let pad = CivilTime.zeroPadded
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + pad(hour, 2) + pad(minute, 2) + pad(second, 2)
    }
}
