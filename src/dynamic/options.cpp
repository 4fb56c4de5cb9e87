#include <netbox/dynamic/options.hpp>

namespace netbox {

filter::filter(std::string n, filter_value value) : name(std::move(n)) { values.push_back(std::move(value).take()); }

filter::filter(std::string n, std::initializer_list<filter_value> vs) : name(std::move(n))
{
    values.reserve(vs.size());
    for (const filter_value& v : vs)
        values.push_back(v.text());
}

filter::filter(std::string n, std::vector<std::string> vs) : name(std::move(n)), values(std::move(vs)) {}

}  // namespace netbox
