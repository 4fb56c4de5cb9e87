// netbox-codegen: reads NetBox OpenAPI schemas and writes the API model tables and the typed code.
//
//     netbox-codegen [--output <dir>] [--typed <repository root>] <schema.json>...
//
// --output writes api_model_v<major>_<minor>.cpp per schema and api_model_index.cpp over all of
// them; --typed writes each release line's typed code under the given root (include/netbox/v4_5/,
// src/v4_5/, tests/typed/generated/). Prints summary lines per release line. Files whose content
// is unchanged are not rewritten.
#include "emit_table.hpp"
#include "read_model.hpp"
#include "schema_file.hpp"
#include "typed_emit.hpp"

#include <algorithm>
#include <charconv>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace netbox::codegen;

struct arguments {
    fs::path output;
    fs::path typed;
    std::vector<fs::path> schemas;
};

arguments parse_arguments(int argc, char** argv)
{
    arguments args;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--output" && i + 1 < argc)
            args.output = argv[++i];
        else if (arg == "--typed" && i + 1 < argc)
            args.typed = argv[++i];
        else if (arg.starts_with("-"))
            throw std::invalid_argument("unknown option " + std::string(arg));
        else
            args.schemas.emplace_back(arg);
    }
    if ((args.output.empty() && args.typed.empty()) || args.schemas.empty())
        throw std::invalid_argument(
            "usage: netbox-codegen [--output <dir>] [--typed <repository root>] <schema.json>...");
    return args;
}

/// "4.10" sorts after "4.9".
std::pair<int, int> version_order(const api& model)
{
    const std::string& v = model.version;
    std::pair<int, int> order;
    const auto dot = v.find('.');
    std::from_chars(v.data(), v.data() + dot, order.first);
    std::from_chars(v.data() + dot + 1, v.data() + v.size(), order.second);
    return order;
}

void write_if_changed(const fs::path& dir, const output_file& file)
{
    const fs::path path = dir / file.name;
    fs::create_directories(path.parent_path());
    std::ifstream existing(path, std::ios::binary);
    if (existing && std::string(std::istreambuf_iterator<char>(existing), {}) == file.text)
        return;
    existing.close();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << file.text;
    if (!out.flush())
        throw std::runtime_error("cannot write " + path.string());
}

std::size_t sum_over_resources(const api& model, std::size_t (*count)(const resource&))
{
    std::size_t total = 0;
    for (const app& a : model.apps)
        for (const resource& r : a.resources)
            total += count(r);
    return total;
}

void print_summary(const api& model, const output_file& file)
{
    std::cout << model.version << " (" << model.schema_version << ", " << model.schema_file << "): "
              << sum_over_resources(model, [](const resource&) -> std::size_t { return 1; }) << " resources, "
              << sum_over_resources(model, [](const resource& r) { return r.fields.size(); }) << " fields, "
              << sum_over_resources(model, [](const resource& r) { return r.filters.size(); }) << " filters -> "
              << file.name << "\n";
}

/// The typed code of one release line (the schema is read again: the API model keeps no JSON).
void write_typed(const fs::path& root, const std::vector<fs::path>& schemas, const api& model)
{
    const auto schema = std::ranges::find_if(schemas, [&](const fs::path& p) { return p.filename() == model.schema_file; });
    const typed::version_model typed_model = typed::read_typed(load_schema_file(*schema), model);
    const std::vector<output_file> files = typed::emit_typed(typed_model);
    for (const output_file& file : files)
        write_if_changed(root, file);
    const typed::typed_counts n = typed::count(typed_model);
    std::cout << model.version << " typed: " << n.structs << " structs, " << n.enums << " enums, " << n.params
              << " params, " << n.operations << " operations -> " << files.size() << " files\n";
}

}  // namespace

int main(int argc, char** argv)
{
    try {
        const arguments args = parse_arguments(argc, argv);
        std::vector<api> models;
        for (const fs::path& schema : args.schemas)
            models.push_back(read_api(load_schema_file(schema)));
        std::ranges::sort(models, {}, version_order);
        for (std::size_t i = 1; i < models.size(); ++i)
            if (models[i].version == models[i - 1].version)
                throw std::invalid_argument(models[i - 1].schema_file + " and " + models[i].schema_file +
                                            " are both release line " + models[i].version);

        if (!args.output.empty()) {
            fs::create_directories(args.output);
            for (const api& model : models) {
                const output_file file = emit_table(model);
                write_if_changed(args.output, file);
                print_summary(model, file);
            }
            write_if_changed(args.output, emit_index(models));
        }
        if (!args.typed.empty())
            for (const api& model : models)
                write_typed(args.typed, args.schemas, model);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "netbox-codegen: " << e.what() << "\n";
        return 1;
    }
}
