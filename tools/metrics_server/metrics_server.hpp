// A minimal HTTP/1.1 endpoint that serves GET /metrics (Prometheus text format 0.0.4) from a
// single-threaded caller: poll() answers the scrapes waiting now and returns, so the CLI's run
// loop and the desktop app's frame loop can serve the live simulation to a real Prometheus.
// Native only (POSIX sockets); the browser build has no server. Every answer closes the connection.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace dsplay::metrics_server {

// "HOST:PORT" with HOST an IPv4 literal or "localhost", PORT 0..65535 (0: the system picks one).
// Fills host/port or returns a one-line reason.
bool parse_listen_address(std::string_view text, std::string& host, unsigned& port, std::string& error);

class MetricsServer {
 public:
  // Binds and listens; nullptr and a one-line error ("cannot listen on 127.0.0.1:80: Permission
  // denied") on failure.
  static std::unique_ptr<MetricsServer> listen(std::string_view address, std::string& error);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // The address actually bound, e.g. "127.0.0.1:41234" (the port is real even when 0 was asked).
  const std::string& address() const { return address_; }

  // Waits up to wait_ms (0: not at all) for a connection, then answers every connection waiting:
  // GET or HEAD /metrics -> 200 with metrics_text(); other paths 404; other methods 405; garbage
  // 400. metrics_text is called once per /metrics request. Returns how many requests were answered.
  int poll(const std::function<std::string()>& metrics_text, int wait_ms = 0);

  std::uint64_t scrapes() const { return scrapes_; }  // /metrics answers so far

 private:
  MetricsServer(int fd, std::string address) : fd_(fd), address_(std::move(address)) {}
  void answer(int client, const std::function<std::string()>& metrics_text);

  int fd_ = -1;
  std::string address_;
  std::uint64_t scrapes_ = 0;
};

}  // namespace dsplay::metrics_server
