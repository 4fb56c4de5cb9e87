#include "support/scripted_stream.hpp"

#include <boost/asio/error.hpp>

#include <algorithm>
#include <cstring>

namespace netbox::test {
namespace asio = boost::asio;

scripted_stream::scripted_stream(std::vector<std::string> c) : chunks(std::move(c)), end(asio::error::eof) {}

asio::awaitable<detail::io_result> scripted_stream::read_some(asio::mutable_buffer buffer) {
    const std::size_t index = reads++;
    if (fail_read_at && *fail_read_at == index) co_return detail::io_result{read_error, 0};
    if (next_chunk_ >= chunks.size()) co_return detail::io_result{end, 0};
    const std::string& chunk = chunks[next_chunk_];
    const std::size_t n = std::min(buffer.size(), chunk.size() - offset_);
    std::memcpy(buffer.data(), chunk.data() + offset_, n);
    offset_ += n;
    if (offset_ == chunk.size()) {
        ++next_chunk_;
        offset_ = 0;
    }
    co_return detail::io_result{{}, n};
}

asio::awaitable<detail::io_result> scripted_stream::write(asio::const_buffer buffer) {
    std::string_view data(static_cast<const char*>(buffer.data()), buffer.size());
    if (fail_write_after && *fail_write_after < data.size()) {
        written.append(data.substr(0, *fail_write_after));
        co_return detail::io_result{write_error, *fail_write_after};
    }
    written.append(data);
    co_return detail::io_result{{}, data.size()};
}

std::vector<std::string> split_every(const std::string& s, std::size_t n) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size(); i += n) out.push_back(s.substr(i, n));
    return out;
}

}  // namespace netbox::test
