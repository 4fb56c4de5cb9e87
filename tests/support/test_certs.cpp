#include "support/test_certs.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdlib.h>  // mkdtemp

#include <atomic>
#include <cerrno>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

namespace netbox::test {
namespace {

struct openssl_free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
    void operator()(BIO* p) const { BIO_free(p); }
};
using key_ptr = std::unique_ptr<EVP_PKEY, openssl_free>;
using cert_ptr = std::unique_ptr<X509, openssl_free>;
using extension_ptr = std::unique_ptr<X509_EXTENSION, openssl_free>;
using bio_ptr = std::unique_ptr<BIO, openssl_free>;

void check(bool ok, const char* what)
{
    if (ok)
        return;
    char reason[256] = "unknown error";
    if (unsigned long code = ERR_get_error(); code != 0)
        ERR_error_string_n(code, reason, sizeof reason);
    throw std::runtime_error(std::string("test PKI: ") + what + ": " + reason);
}

struct identity {
    cert_ptr cert;
    key_ptr key;
};

using extension_list = std::vector<std::pair<int, std::string>>;

/// A new key and a certificate for it, signed by `issuer`, or self-signed when `issuer` is null.
identity issue(const char* common_name, const extension_list& extensions, const identity* issuer)
{
    static std::atomic<long> next_serial{1};

    identity id{cert_ptr(X509_new()), key_ptr(EVP_EC_gen("P-256"))};
    X509* cert = id.cert.get();
    check(cert != nullptr && id.key != nullptr, "key generation");
    X509* issuer_cert = issuer != nullptr ? issuer->cert.get() : cert;
    EVP_PKEY* signing_key = issuer != nullptr ? issuer->key.get() : id.key.get();

    const auto* cn = reinterpret_cast<const unsigned char*>(common_name);
    check(X509_set_version(cert, X509_VERSION_3) == 1
              && ASN1_INTEGER_set(X509_get_serialNumber(cert), next_serial++) == 1
              && X509_gmtime_adj(X509_getm_notBefore(cert), -60 * 60) != nullptr
              && X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 60 * 60) != nullptr
              && X509_set_pubkey(cert, id.key.get()) == 1
              && X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC, cn, -1, -1, 0) == 1
              && X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert)) == 1,
          "certificate fields");

    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer_cert, cert, nullptr, nullptr, 0);
    for (const auto& [nid, value] : extensions) {
        extension_ptr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
        check(ext != nullptr && X509_add_ext(cert, ext.get(), -1) == 1, value.c_str());
    }
    check(X509_sign(cert, signing_key, EVP_sha256()) > 0, "signing");
    return id;
}

/// An end-entity certificate signed by `ca`; `alt_names` empty: no subjectAltName.
identity issue_leaf(const char* common_name, std::string extended_usage, std::string alt_names,
                    const identity& ca)
{
    extension_list extensions = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage, "critical,digitalSignature"},
        {NID_ext_key_usage, std::move(extended_usage)},
        {NID_authority_key_identifier, "keyid:always"},
    };
    if (!alt_names.empty())
        extensions.emplace_back(NID_subject_alt_name, std::move(alt_names));
    return issue(common_name, extensions, &ca);
}

template <class Write>
std::string to_pem(Write write)
{
    bio_ptr bio(BIO_new(BIO_s_mem()));
    check(bio != nullptr && write(bio.get()) == 1, "PEM encoding");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string cert_pem(const identity& id)
{
    return to_pem([&](BIO* bio) { return PEM_write_bio_X509(bio, id.cert.get()); });
}

std::string key_pem(const identity& id)
{
    return to_pem([&](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, id.key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
}

std::filesystem::path make_private_dir()
{
    std::string name = (std::filesystem::temp_directory_path() / "netbox-test-pki-XXXXXX").string();
    if (mkdtemp(name.data()) == nullptr)
        throw std::system_error(errno, std::generic_category(), "test PKI: mkdtemp");
    return name;
}

std::filesystem::path write_file(const std::filesystem::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out.flush())
        throw std::runtime_error("test PKI: cannot write " + path.string());
    return path;
}

test_pki generate()
{
    const identity ca = issue("netbox-cpp test CA",
                              {{NID_basic_constraints, "critical,CA:TRUE"},
                               {NID_key_usage, "critical,keyCertSign,cRLSign"},
                               {NID_subject_key_identifier, "hash"}},
                              nullptr);
    const identity server = issue_leaf("localhost", "serverAuth", "DNS:localhost,IP:127.0.0.1", ca);
    const identity wrong_host = issue_leaf("wrong.example", "serverAuth", "DNS:wrong.example", ca);
    const identity client = issue_leaf("netbox-cpp test client", "clientAuth", "", ca);

    test_pki p;
    p.ca_pem = cert_pem(ca);
    p.server_cert_pem = cert_pem(server);
    p.server_key_pem = key_pem(server);
    p.wrong_host_cert_pem = cert_pem(wrong_host);
    p.wrong_host_key_pem = key_pem(wrong_host);
    p.client_cert_pem = cert_pem(client);
    p.client_key_pem = key_pem(client);

    p.dir = make_private_dir();
    p.ca_file = write_file(p.dir / "ca.pem", p.ca_pem);
    p.client_cert_file = write_file(p.dir / "client.pem", p.client_cert_pem);
    p.client_key_file = write_file(p.dir / "client-key.pem", p.client_key_pem);
    return p;
}

/// Owns the generated PKI and removes its directory at process exit.
struct pki_owner {
    test_pki value = generate();
    pki_owner() = default;
    pki_owner(const pki_owner&) = delete;
    pki_owner& operator=(const pki_owner&) = delete;
    ~pki_owner()
    {
        std::error_code ignored;
        std::filesystem::remove_all(value.dir, ignored);
    }
};

}  // namespace

const test_pki& pki()
{
    static const pki_owner owner;
    return owner.value;
}

}  // namespace netbox::test
