// An LD_PRELOAD shim for the dns tests: getaddrinfo takes 3 s for names ending in ".slow.test"
// (then fails), and passes everything else to the real one. It shows that deadlines bound name
// resolution, which Asio runs on a thread of its own and cannot interrupt.
#include <dlfcn.h>
#include <netdb.h>
#include <unistd.h>

#include <string_view>

extern "C" {

/// Lets a test check that the shim is loaded.
int netbox_slow_dns_active() { return 1; }

int getaddrinfo(const char* node, const char* service, const addrinfo* hints, addrinfo** res) {
    using real_fn = int (*)(const char*, const char*, const addrinfo*, addrinfo**);
    static const auto real = reinterpret_cast<real_fn>(dlsym(RTLD_NEXT, "getaddrinfo"));
    if (node != nullptr && std::string_view(node).ends_with(".slow.test")) {
        sleep(3);
        return EAI_NONAME;
    }
    return real(node, service, hints, res);
}
}
