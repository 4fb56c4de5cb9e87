// netbox-cpp conformance tests: a server that answers with recorded NetBox exchanges.
//
// A recordings directory (../shared/netbox-recordings/<version>/) holds one JSON file per exchange:
// name, method, path, query, request_headers, request_body, status, response_headers, response_body.
// replay_server loads them and answers each request with the recording that matches it:
//
//   1. an explicit choice made with answer_with(method, path, name) wins;
//   2. otherwise the candidates are the recordings with the same method, path and (decoded,
//      order-insensitive) query. Among them the best one is chosen by
//        - the JSON request body: a recorded key whose value differs from the one sent rules the
//          recording out, each equal key scores +1, each recorded key the client did not send -1
//          (a non-object body must be equal);
//        - the Authorization scheme ("", "Token", "Bearer"): equal scores +1;
//        - other recorded request headers (If-None-Match, ...): equal +1, absent -1.
//   3. no candidate, or a tie for the best score, is answered with status 599 and a JSON body
//      {"detail": "replay: ..."} naming the request and the candidates, so a test fails loudly.
//
// The reply carries the recorded status and headers except Content-Length, Transfer-Encoding and
// Connection (the test server frames the body itself; a HEAD reply keeps the recorded
// Content-Length). A recording made under gunicorn (Connection: close) closes the connection after
// answering, as gunicorn does. The body is response_body re-serialised (JSON) or as text.
#pragma once

#include "support/test_server.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbox::test {

/// One recorded exchange.
struct recording {
    std::string name;
    std::string method;
    std::string path;
    /// Query parameters as text, in recorded order.
    std::vector<std::pair<std::string, std::string>> query;
    boost::json::object request_headers;
    boost::json::value request_body;  ///< null when none
    int status = 0;
    boost::json::object response_headers;
    boost::json::value response_body;  ///< a JSON value, or a string for text/empty bodies

    /// "Token", "Bearer" or "" from the recorded (redacted) Authorization header.
    std::string auth_scheme() const;
    /// The value of a recorded response header (case-insensitive), or "".
    std::string response_header(std::string_view name) const;
    /// True when the response has a JSON Content-Type and a non-empty body.
    bool has_json_body() const;
    /// The body as the replay server sends it.
    std::string body_text() const;
    /// NetBox's {"detail": ...} text, or "".
    std::string detail() const;
};

/// Every *.json recording of `dir` except _index.json, sorted by name. Throws on unreadable files.
std::vector<recording> load_recordings(const std::filesystem::path& dir);

class replay_server {
public:
    static constexpr std::size_t always = std::numeric_limits<std::size_t>::max();

    /// Loads `dir` and starts serving on 127.0.0.1.
    explicit replay_server(const std::filesystem::path& dir, server_options options = {});
    ~replay_server();

    replay_server(const replay_server&) = delete;
    replay_server& operator=(const replay_server&) = delete;

    std::string url() const;
    std::size_t connections_accepted() const;

    const std::vector<recording>& recordings() const { return recordings_; }
    bool has(std::string_view name) const;
    /// The recording called `name`; throws std::out_of_range when there is none.
    const recording& get(std::string_view name) const;

    /// Answers the next `times` requests with this method and path (any query, any body) with the
    /// recording `name`. Throws std::out_of_range for an unknown name. Later choices for the same
    /// method and path replace earlier ones.
    void answer_with(std::string method, std::string path, std::string name, std::size_t times = always);
    /// Forgets every answer_with() choice.
    void clear_choices();

    /// Every request received so far, in order.
    std::vector<received_request> requests() const;
    /// The last request received; throws std::out_of_range when there was none.
    received_request last_request() const;
    /// For every request received, the name of the recording that answered it, or "" for a 599.
    std::vector<std::string> served() const;
    /// The recording that answered the last request ("" for a 599, or none yet).
    std::string last_served() const;

private:
    struct choice {
        std::string name;
        std::size_t remaining = 0;
    };

    reply answer(const received_request& request);

    std::vector<recording> recordings_;
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, choice> choices_;
    std::vector<std::string> served_;
    std::unique_ptr<test_server> server_;  // last: stopped first, before the state its handler uses
};

/// Splits a request target into its path and its decoded query parameters.
std::pair<std::string, std::vector<std::pair<std::string, std::string>>> split_target(std::string_view target);

}  // namespace netbox::test
