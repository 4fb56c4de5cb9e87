// HTTP/1.1 pipelining in the client (client_impl::execute_pipelined): GETs written ahead on one
// connection, answers handed out as they are read, and the normal path for everything the retry
// policy, redirects or a closed connection make of them.
#include "component/component_support.hpp"

#include "client/client_impl.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

namespace netbox::component {
namespace {

using http_client = netbox::client;
using tcp = asio::ip::tcp;

/// What execute_pipelined handed out: each item's outcome and the order of the hand-outs.
struct handed_out {
    std::vector<std::optional<result<response>>> outcomes;
    std::vector<std::size_t> order;

    const result<response>& at(std::size_t i) const { return *outcomes.at(i); }
};

/// Runs a batch of GETs of `paths`; `out` fills as items are handed out.
asio::awaitable<void> pipelined_into(std::shared_ptr<handed_out> out, http_client c, std::vector<std::string> paths,
                                     request_options options) {
    out->outcomes.resize(paths.size());
    std::vector<detail::pipelined_get> items;
    for (std::string& p : paths) items.push_back(detail::pipelined_get{std::move(p), query_params()});
    const detail::pipelined_handler on_answer = [out](std::size_t i, result<response> r) {
        EXPECT_FALSE(out->outcomes.at(i).has_value()) << "item " << i << " handed out twice";
        out->outcomes.at(i).emplace(std::move(r));
        out->order.push_back(i);
    };
    co_await detail::impl_of(c)->execute_pipelined(std::move(items), std::move(options), on_answer);
}

asio::awaitable<handed_out> pipelined(http_client c, std::vector<std::string> paths,
                                      request_options options = request_options()) {
    auto out = std::make_shared<handed_out>();
    co_await pipelined_into(out, std::move(c), std::move(paths), std::move(options));
    co_return std::move(*out);
}

/// Every item answered 200 with the body the handler below gives: its path.
void expect_all_ok(const handed_out& h, const std::vector<std::string>& paths) {
    ASSERT_EQ(h.outcomes.size(), paths.size());
    for (std::size_t i = 0; i < paths.size(); ++i) {
        SCOPED_TRACE(i);
        ASSERT_TRUE(h.outcomes[i].has_value()) << "never handed out";
        ASSERT_TRUE(h.at(i).has_value()) << h.at(i).error().what();
        EXPECT_EQ(h.at(i)->status, 200);
        EXPECT_EQ(h.at(i)->body, paths[i]);
    }
}

reply echo(const received_request& r) {
    reply out;
    out.headers = {{"Content-Type", "text/plain"}};
    out.body = r.target;
    return out;
}

std::vector<std::string> paths_of(std::initializer_list<const char*> names) {
    std::vector<std::string> out;
    for (const char* n : names) out.push_back(std::string("/api/") + n + "/");
    return out;
}

/// The request targets a test server received on one connection, in order.
std::vector<std::string> targets_on(const test_server& server, std::size_t connection) {
    std::vector<std::string> out;
    for (const auto& r : server.requests())
        if (r.connection_index == connection) out.push_back(r.target);
    return out;
}

/// A bare server of one connection that proves pipelining: it answers nothing until a whole
/// round of requests has arrived, so a client that waits for an answer before writing the next
/// request gets no answer at all (and its attempt timeout). Rounds of `rounds[i]` requests; for
/// each it notes how many request heads had arrived when it answered.
class round_server {
public:
    explicit round_server(std::vector<std::size_t> rounds)
        : acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)), rounds_(std::move(rounds)) {
        thread_ = std::thread([this] { serve(); });
    }
    ~round_server() {
        // Wakes a blocked accept or read (shutdown does on Linux; close from another thread may not).
        ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
        if (const int fd = accepted_.load(); fd >= 0) ::shutdown(fd, SHUT_RDWR);
        thread_.join();
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }

    std::vector<std::size_t> heads_seen;  ///< per round, request heads received before answering
    std::vector<std::string> heads;       ///< every request head, in order
    std::atomic<bool> done{false};

private:
    void serve() {
        boost::system::error_code ec;
        socket_.emplace(io_);
        acceptor_.accept(*socket_, ec);
        if (ec) return;
        accepted_ = socket_->native_handle();
        std::string in;
        std::size_t answered = 0;
        for (std::size_t want : rounds_) {
            // Heads are counted by their terminating empty line: no request here has a body.
            const auto count = [&] {
                std::size_t n = 0;
                for (std::size_t at = in.find("\r\n\r\n"); at != std::string::npos; at = in.find("\r\n\r\n", at + 4)) ++n;
                return n;
            };
            while (count() < answered + want) {
                char chunk[4096];
                const std::size_t n = socket_->read_some(asio::buffer(chunk), ec);
                if (ec) return;
                in.append(chunk, n);
            }
            heads_seen.push_back(count() - answered);
            std::string out;
            for (std::size_t i = 0; i < want; ++i) {
                const std::string body = "answer " + std::to_string(answered + i);
                out += "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
                       "\r\n\r\n" + body;
            }
            answered += want;
            asio::write(*socket_, asio::buffer(out), ec);
            if (ec) return;
        }
        for (std::size_t at = 0, end; (end = in.find("\r\n\r\n", at)) != std::string::npos; at = end + 4)
            heads.push_back(in.substr(at, end - at));
        done = true;
        char rest[256];
        while (!ec) socket_->read_some(asio::buffer(rest), ec);  // until the client closes
    }

    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::vector<std::size_t> rounds_;
    std::optional<tcp::socket> socket_;  // the server thread's
    std::atomic<int> accepted_{-1};
    std::thread thread_;
};

class client_pipelining : public component_test {
protected:
    /// Options for `url` whose attempts give up quickly: a client that does not pipeline against
    /// round_server fails rather than hangs.
    static client_options quick(const std::string& url) {
        client_options o = options_for(url);
        o.token = "0123456789abcdef0123456789abcdef01234567";
        return o;
    }
};

TEST_F(client_pipelining, every_request_is_written_before_the_first_answer_is_read) {
    round_server server({3});
    auto o = quick(server.url());
    o.timeouts.attempt = 5s;
    o.retry.max_attempts = 1;
    http_client c(io.get_executor(), o);
    const handed_out h = run(pipelined(c, paths_of({"a", "b", "c"})));
    for (std::size_t i = 0; i < 3; ++i) {
        ASSERT_TRUE(h.outcomes[i] && h.at(i).has_value()) << i;
        EXPECT_EQ(h.at(i)->body, "answer " + std::to_string(i));
        EXPECT_EQ(h.at(i)->attempts, 1);
    }
    EXPECT_EQ(h.order, (std::vector<std::size_t>{0, 1, 2}));
    ASSERT_TRUE(server.done);
    EXPECT_EQ(server.heads_seen, std::vector<std::size_t>{3});
    ASSERT_EQ(server.heads.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(server.heads[i].starts_with("GET " + paths_of({"a", "b", "c"})[i] + " HTTP/1.1")) << server.heads[i];
        // The token, as on every request.
        EXPECT_NE(server.heads[i].find("Authorization: Token 0123456789abcdef"), std::string::npos) << server.heads[i];
    }
}

TEST_F(client_pipelining, no_more_than_max_pipeline_depth_requests_are_written_ahead) {
    round_server server({2, 2, 1});
    auto o = quick(server.url());
    o.pool.max_pipeline_depth = 2;
    o.retry.max_attempts = 1;
    http_client c(io.get_executor(), o);
    const handed_out h = run(pipelined(c, paths_of({"a", "b", "c", "d", "e"})));
    for (std::size_t i = 0; i < 5; ++i) {
        ASSERT_TRUE(h.outcomes[i] && h.at(i).has_value()) << i;
        EXPECT_EQ(h.at(i)->body, "answer " + std::to_string(i));
    }
    ASSERT_TRUE(server.done);
    // Had the client written more than two ahead, a round could have seen them.
    EXPECT_EQ(server.heads_seen, (std::vector<std::size_t>{2, 2, 1}));
}

TEST_F(client_pipelining, a_connection_close_after_k_answers_sends_the_rest_again) {
    // The second answer says Connection: close (as gunicorn's do): the third and fourth requests
    // were written but are not answered on that connection.
    test_server server([](const received_request& r) {
        reply out = echo(r);
        out.close = r.connection_index == 0 && r.target == "/api/b/";
        return out;
    });
    http_client c(io.get_executor(), options_for(server.url()));
    const auto paths = paths_of({"a", "b", "c", "d"});
    const handed_out h = run(pipelined(c, paths));
    expect_all_ok(h, paths);
    EXPECT_EQ(h.order, (std::vector<std::size_t>{0, 1, 2, 3}));
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(h.at(i)->attempts, 1) << i;
    EXPECT_EQ(targets_on(server, 0), (std::vector<std::string>{"/api/a/", "/api/b/"}));
    EXPECT_EQ(targets_on(server, 1), (std::vector<std::string>{"/api/c/", "/api/d/"}));
}

TEST_F(client_pipelining, a_connection_closed_without_warning_sends_the_unanswered_again) {
    for (fault f : {fault::close_before_response, fault::reset}) {
        SCOPED_TRACE(static_cast<int>(f));
        test_server server([f](const received_request& r) {
            reply out = echo(r);
            if (r.connection_index == 0 && r.target == "/api/c/") out.fault = f;
            return out;
        });
        auto o = options_for(server.url());
        o.retry.max_attempts = 1;  // the unanswered are sent again without using up retries
        http_client c(io.get_executor(), o);
        const auto paths = paths_of({"a", "b", "c", "d"});
        const handed_out h = run(pipelined(c, paths));
        expect_all_ok(h, paths);
        for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(h.at(i)->attempts, 1) << i;
        EXPECT_EQ(targets_on(server, 0), (std::vector<std::string>{"/api/a/", "/api/b/", "/api/c/"}));
        const auto again = targets_on(server, 1);
        EXPECT_EQ(std::count(again.begin(), again.end(), "/api/c/"), 1) << ::testing::PrintToString(again);
        EXPECT_EQ(std::count(again.begin(), again.end(), "/api/d/"), 1) << ::testing::PrintToString(again);
        if (f == fault::close_before_response)  // a reset may also cost the answers not read yet
            EXPECT_EQ(again, (std::vector<std::string>{"/api/c/", "/api/d/"}));
    }
}

TEST_F(client_pipelining, an_answer_cut_short_is_an_attempt_and_is_retried) {
    struct seen {
        std::mutex mutex;
        std::vector<request_event> events;
    };
    auto events = std::make_shared<seen>();
    test_server server([](const received_request& r) {
        reply out = echo(r);
        if (r.connection_index == 0 && r.target == "/api/b/") out.fault = fault::truncate_body;
        return out;
    });
    auto o = options_for(server.url());
    o.observer = [events](const request_event& e) {
        std::lock_guard lock(events->mutex);
        events->events.push_back(e);
    };
    http_client c(io.get_executor(), o);
    const auto paths = paths_of({"a", "b", "c"});
    const handed_out h = run(pipelined(c, paths));
    expect_all_ok(h, paths);
    EXPECT_EQ(h.at(0)->attempts, 1);
    EXPECT_EQ(h.at(1)->attempts, 2);  // the cut answer was its first attempt
    EXPECT_EQ(h.at(2)->attempts, 1);  // never answered: sent again from scratch
    std::lock_guard lock(events->mutex);
    std::vector<std::pair<int, bool>> b_attempts;
    std::size_t requests = 0;
    for (const request_event& e : events->events) {
        if (e.what == request_event::kind::request) ++requests;
        if (e.what == request_event::kind::attempt && e.path == "/api/b/") {
            b_attempts.emplace_back(e.attempt, e.will_retry);
            if (e.attempt == 1) EXPECT_EQ(e.error, make_error_code(errc::truncated_body)) << e.error.message();
        }
    }
    EXPECT_EQ(requests, 3u);
    EXPECT_EQ(b_attempts, (std::vector<std::pair<int, bool>>{{1, true}, {2, false}}));
}

TEST_F(client_pipelining, statuses_take_the_retry_policy_and_redirects_as_usual) {
    auto b_calls = std::make_shared<std::atomic<int>>(0);
    test_server server([b_calls](const received_request& r) {
        if (r.target == "/api/b/" && (*b_calls)++ == 0) return json_reply(503, R"({"detail":"busy"})");
        if (r.target == "/api/c/") return json_reply(500, R"({"detail":"broken"})");
        if (r.target == "/api/d/") {
            reply moved;
            moved.status = 302;
            moved.headers = {{"Location", "/api/e/"}};
            return moved;
        }
        return echo(r);
    });
    recorded_waits waits;
    auto o = options_for(server.url());
    o.retry.sleeper = waits.sleeper();
    http_client c(io.get_executor(), o);
    const handed_out h = run(pipelined(c, paths_of({"a", "b", "c", "d"})));
    for (std::size_t i = 0; i < 4; ++i) ASSERT_TRUE(h.outcomes[i] && h.at(i).has_value()) << i;
    EXPECT_EQ(h.at(0)->status, 200);
    EXPECT_EQ(h.at(1)->status, 200);  // the 503 retried after a backoff
    EXPECT_EQ(h.at(1)->attempts, 2);
    EXPECT_EQ(waits.get().size(), 1u);
    EXPECT_EQ(h.at(2)->status, 500);  // never retried
    EXPECT_EQ(h.at(2)->attempts, 1);
    EXPECT_EQ(h.at(3)->status, 200);  // the redirect followed
    EXPECT_EQ(h.at(3)->body, "/api/e/");
    // The answers that needed nothing more came first, as they were read.
    EXPECT_EQ(h.order, (std::vector<std::size_t>{0, 2, 1, 3}));
    // The batch and what followed it all ran on the one connection.
    EXPECT_EQ(server.connections_accepted(), 1u);
    EXPECT_EQ(targets_on(server, 0),
              (std::vector<std::string>{"/api/a/", "/api/b/", "/api/c/", "/api/d/", "/api/b/", "/api/e/"}));
}

TEST_F(client_pipelining, hooks_limits_and_the_connection_as_for_any_request) {
    test_server server([](const received_request& r) {
        reply out = echo(r);
        if (r.target == "/api/big/") out.body = std::string(5000, 'x');
        return out;
    });
    auto hooked = std::make_shared<std::atomic<int>>(0), answered = std::make_shared<std::atomic<int>>(0);
    auto o = options_for(server.url());
    o.max_response_bytes = 1000;
    o.retry.max_attempts = 1;
    o.on_request = [hooked](outgoing_request& r) {
        ++*hooked;
        r.headers.set("X-Hooked", "yes");
    };
    o.on_response = [answered](const outgoing_request&, const response&) { ++*answered; };
    http_client c(io.get_executor(), o);
    const auto paths = paths_of({"a", "big", "c"});
    const handed_out h = run(pipelined(c, paths));
    ASSERT_TRUE(h.outcomes[0] && h.at(0).has_value());
    EXPECT_EQ(h.at(0)->body, "/api/a/");
    ASSERT_TRUE(h.outcomes[1].has_value());
    EXPECT_NETBOX_ERROR(h.at(1), errc::body_too_large);
    ASSERT_TRUE(h.outcomes[2] && h.at(2).has_value());  // sent again: the big answer spoiled the connection
    EXPECT_EQ(h.at(2)->body, "/api/c/");
    EXPECT_EQ(hooked->load(), 4);    // a, big, c written ahead, then c again
    EXPECT_EQ(answered->load(), 2);  // a and c
    for (const auto& r : server.requests()) EXPECT_EQ(r.header("X-Hooked"), "yes") << r.target;
    EXPECT_EQ(targets_on(server, 1), std::vector<std::string>{"/api/c/"});
}

TEST_F(client_pipelining, cancellation_closes_the_connection_and_cancels_the_rest) {
    test_server server([](const received_request& r) {
        reply out = echo(r);
        if (r.target == "/api/b/") out.fault = fault::hang_before_response;
        return out;
    });
    http_client c(io.get_executor(), options_for(server.url()));
    asio::cancellation_signal cancel;
    auto out = std::make_shared<handed_out>();
    auto f = asio::co_spawn(io, pipelined_into(out, c, paths_of({"a", "b", "c"}), request_options()),
                            asio::bind_cancellation_slot(cancel.slot(), asio::use_future));
    // The first answer is handed out; the server holds the second request.
    drive_until(io, [&] { return !out->order.empty() && server.requests().size() >= 2; });
    cancel.emit(asio::cancellation_type::terminal);
    drive_until(io, [&] { return is_ready(f); });
    f.get();
    const handed_out& h = *out;
    ASSERT_TRUE(h.outcomes[0] && h.at(0).has_value());
    EXPECT_EQ(h.at(0)->body, "/api/a/");
    for (std::size_t i : {1u, 2u}) {
        ASSERT_TRUE(h.outcomes[i].has_value()) << i;
        EXPECT_NETBOX_ERROR(h.at(i), errc::cancelled);
    }
    // The connection was closed, not returned to the pool.
    const auto& impl = detail::impl_of(c);
    EXPECT_EQ(impl->pool_for(impl->base.where)->stats().open, 0u);
    // And the client carries on, on a new connection.
    auto after = run(c.try_request(http_method::get, "/api/a/"));
    ASSERT_TRUE(after.has_value()) << after.error().what();
    EXPECT_EQ(after->body, "/api/a/");
    EXPECT_EQ(server.connections_accepted(), 2u);
}

}  // namespace
}  // namespace netbox::component
