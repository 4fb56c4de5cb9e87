// netbox-cpp tests: a throw-away PKI generated at test time (OpenSSL 3, EC P-256 keys).
#pragma once

#include <filesystem>
#include <string>

namespace netbox::test {

/// A test CA and the certificates it signed, valid from an hour ago for one day. All PEM.
struct test_pki {
    std::string ca_pem;               ///< self-signed, CA:TRUE
    std::string server_cert_pem;      ///< SAN DNS:localhost, IP:127.0.0.1
    std::string server_key_pem;
    std::string wrong_host_cert_pem;  ///< SAN DNS:wrong.example only: host-name verification must fail
    std::string wrong_host_key_pem;
    std::string client_cert_pem;      ///< extendedKeyUsage clientAuth, for mutual TLS
    std::string client_key_pem;

    /// A private directory (mkdtemp) holding the files below; removed at process exit.
    std::filesystem::path dir;
    std::filesystem::path ca_file;
    std::filesystem::path client_cert_file;
    std::filesystem::path client_key_file;
};

/// Generated on first use, once per process; thread-safe. Throws std::runtime_error if OpenSSL fails.
const test_pki& pki();

}  // namespace netbox::test
