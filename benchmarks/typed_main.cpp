// netbox-bench-typed: decoding a page of 1,000 devices (GET /api/dcim/devices/?limit=1000 as the
// simulator answers it, NetBox 4.5) into the generated structs, against boost::json::parse of the
// same bytes. The budget: parse + typed decode ≤ 1.7× the parse alone.
//     build/release/bin/netbox-bench-typed --benchmark_repetitions=5
#include <netbox/blocking_client.hpp>
#include <netbox/testing/simulator.hpp>
#include <netbox/typed/endpoint.hpp>
#include <netbox/v4_5/dcim.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <string>

namespace {

namespace json = boost::json;
using device = netbox::v4_5::dcim::device_with_config_context;

/// The page, fetched once from a simulator with 1,000 devices.
const std::string& page_text() {
    static const std::string text = [] {
        netbox::testing::simulator_options o;
        o.version = "4.5";
        o.devices = 1000;
        netbox::testing::simulator sim(o);
        netbox::client_options c;
        c.base_url = sim.url();
        c.token = sim.token();
        netbox::blocking_client client(c);
        auto r = client.request(netbox::http_method::get, "/api/dcim/devices/", {{"limit", "1000"}});
        if (r.status != 200) {
            std::cerr << "the simulator answered " << r.status << "\n";
            std::exit(1);
        }
        return r.body;
    }();
    return text;
}

void parse_only(benchmark::State& state) {
    const std::string& text = page_text();
    for (auto _ : state) {
        json::monotonic_resource mr;
        json::value v = json::parse(text, &mr);
        benchmark::DoNotOptimize(v);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void parse_and_decode(benchmark::State& state) {
    const std::string& text = page_text();
    for (auto _ : state) {
        json::monotonic_resource mr;
        json::value v = json::parse(text, &mr);
        netbox::page<device> page;
        netbox::codec::decoder d;
        netbox::typed::impl::decode_value(v, page, d);
        if (page.results.size() != 1000) state.SkipWithError("wrong page size");
        benchmark::DoNotOptimize(page);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

BENCHMARK(parse_only)->Unit(benchmark::kMillisecond);
BENCHMARK(parse_and_decode)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
