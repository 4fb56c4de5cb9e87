// Synthetic NetBox-shaped payloads shared by the benchmarks. Everything is generated here; no
// recordings are needed, so the benchmarks run on any machine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace netbox::bench {

/// A GET /api/status/ body as NetBox 4.x sends it (about 450 bytes).
inline std::string status_body() {
    return R"({"django-version":"5.1.5","installed-apps":{"debug_toolbar":"4.4.6","django_filters":"24.3",)"
           R"("django_prometheus":"2.3.1","django_rq":"3.0","django_tables2":"2.7.5","drf_spectacular":"0.28.0",)"
           R"("drf_spectacular_sidecar":"2025.1.1","mptt":"0.16.0","rest_framework":"3.15.2",)"
           R"("social_django":"5.4.2","taggit":"6.1.0","timezone_field":"7.1"},"netbox-version":"4.2.3",)"
           R"("netbox-full-version":"4.2.3-Docker-3.1.1","plugins":{},"python-version":"3.12.3",)"
           R"("rq-workers-running":1})";
}

/// A deterministic pseudo-random hex string (per-record values such as serials and hashes, so a
/// page compresses about as well as a real one rather than 30:1).
inline std::string hex_of(std::uint64_t seed, std::size_t digits) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    std::uint64_t x = seed * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;
    while (out.size() < digits) {
        x ^= x >> 31;
        x *= 0xbf58476d1ce4e5b9ull;
        x ^= x >> 29;
        out += hex[x & 15];
    }
    return out;
}

/// One device of a /api/dcim/devices/ page, with the nested brief objects NetBox sends.
inline std::string device_json(std::size_t id) {
    const std::string n = std::to_string(id);
    const std::string serial = hex_of(id, 12);
    const std::string owner = hex_of(id + 7'000'000, 6);
    const std::string month = std::to_string(id % 12 + 1), day = std::to_string(id % 28 + 1);
    const std::string rack = std::to_string(id / 40 + 1);
    return R"({"id":)" + n + R"(,"url":"https://netbox.example.com/api/dcim/devices/)" + n +
           R"(/","display_url":"https://netbox.example.com/dcim/devices/)" + n + R"(/","display":"leaf-)" + n +
           R"(","name":"leaf-)" + n +
           R"(","device_type":{"id":7,"url":"https://netbox.example.com/api/dcim/device-types/7/","display":"DCS-7050SX3-48YC8",)"
           R"("manufacturer":{"id":3,"url":"https://netbox.example.com/api/dcim/manufacturers/3/","display":"Arista",)"
           R"("name":"Arista","slug":"arista","description":""},"model":"DCS-7050SX3-48YC8","slug":"dcs-7050sx3-48yc8",)"
           R"("description":""},"role":{"id":2,"url":"https://netbox.example.com/api/dcim/device-roles/2/","display":"Leaf",)"
           R"("name":"Leaf","slug":"leaf","description":""},"tenant":null,"platform":{"id":4,)"
           R"("url":"https://netbox.example.com/api/dcim/platforms/4/","display":"EOS","name":"EOS","slug":"eos",)"
           R"("description":""},"serial":")" + serial + R"(","asset_tag":"AT-)" + hex_of(id + 1'000'000, 8) +
           R"(","site":{"id":1,)"
           R"("url":"https://netbox.example.com/api/dcim/sites/1/","display":"AMS1","name":"AMS1","slug":"ams1",)"
           R"("description":""},"location":null,"rack":{"id":)" + rack +
           R"(,"url":"https://netbox.example.com/api/dcim/racks/)" + rack + R"(/","display":"R)" + rack +
           R"(","name":"R)" + rack + R"(","description":""},"position":)" + std::to_string(id % 40 + 1) +
           R"(.0,"face":{"value":"front","label":"Front"},"latitude":null,"longitude":null,"parent_device":null,)"
           R"("status":{"value":"active","label":"Active"},"airflow":{"value":"front-to-rear","label":"Front to rear"},)"
           R"("primary_ip":{"id":)" + n + R"(,"url":"https://netbox.example.com/api/ipam/ip-addresses/)" + n +
           R"(/","display":"10.0.)" + std::to_string(id / 250) + "." + std::to_string(id % 250 + 1) +
           R"(/32","family":{"value":4,"label":"IPv4"},"address":"10.0.)" + std::to_string(id / 250) + "." +
           std::to_string(id % 250 + 1) +
           R"(/32","description":""},"primary_ip4":null,"primary_ip6":null,"oob_ip":null,"cluster":null,)"
           R"("virtual_chassis":null,"vc_position":null,"vc_priority":null,"description":"uplink pair )" +
           hex_of(id + 2'000'000, 4) + R"(, ticket NET-)" + std::to_string(1000 + (id * 7919) % 9000) +
           R"(","comments":"",)"
           R"("config_template":null,"config_context":{},"local_context_data":null,"tags":[{"id":1,)"
           R"("url":"https://netbox.example.com/api/extras/tags/1/","display":"prod","name":"prod","slug":"prod",)"
           R"("color":"4caf50"}],"custom_fields":{"asset_owner":"team-)" + owner + R"(","warranty_end":"2027-)" +
           month + "-" + day + R"(","monitoring":)" + (id % 3 ? "true" : "false") + R"(},"created":"2024-)" + month +
           "-" + day + "T09:" + std::to_string(10 + id % 50) + ":" + std::to_string(10 + id % 49) + "." +
           std::to_string(100000 + (id * 104729) % 900000) + R"(Z","last_updated":"2025-01-)" + day + "T17:" +
           std::to_string(10 + id % 47) + ":" + std::to_string(10 + id % 43) + "." +
           std::to_string(100000 + (id * 15485863) % 900000) + R"(Z",)"
           R"("console_port_count":1,"console_server_port_count":0,"power_port_count":2,"power_outlet_count":0,)"
           R"("interface_count":)" + std::to_string(48 + id % 9) + R"(,)"
           R"("front_port_count":0,"rear_port_count":0,"device_bay_count":0,)"
           R"("module_bay_count":0,"inventory_item_count":3})";
}

/// A paginated /api/dcim/devices/ answer with `count` devices starting at `first_id`.
inline std::string device_page(std::size_t count, std::size_t first_id = 1, std::size_t total = 1234) {
    std::string out = R"({"count":)" + std::to_string(total) +
                      R"(,"next":"https://netbox.example.com/api/dcim/devices/?limit=50&offset=50","previous":null,"results":[)";
    for (std::size_t i = 0; i < count; ++i) {
        if (i) out += ',';
        out += device_json(first_id + i);
    }
    out += "]}";
    return out;
}

/// A JSON body of at least `bytes` bytes (whole devices, so it stays valid JSON).
inline std::string device_body_of_size(std::size_t bytes) {
    std::string out = R"({"count":9999,"next":null,"previous":null,"results":[)";
    for (std::size_t id = 1; out.size() < bytes; ++id) {
        if (id > 1) out += ',';
        out += device_json(id);
    }
    out += "]}";
    return out;
}

}  // namespace netbox::bench
