// The /metrics endpoint over POSIX sockets (see metrics_server.hpp): a non-blocking listening
// socket, one short-lived connection per scrape, requests read with a deadline so a silent client
// cannot stall the caller's loop for long.
#include "tools/metrics_server/metrics_server.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace dsplay::metrics_server {

namespace {

constexpr int kRequestDeadlineMs = 500;
constexpr std::size_t kMaxRequestBytes = 16 * 1024;

std::string errno_text() { return std::strerror(errno); }

// Sends everything or gives up (the scraper went away: nothing to do about it).
void send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

void respond(int fd, const char* status, const char* content_type, const std::string& body, bool head) {
  std::string out = std::string("HTTP/1.1 ") + status + "\r\nContent-Type: " + content_type +
                    "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  if (!head) out += body;
  send_all(fd, out);
}

// Reads until the end of the request head ("\r\n\r\n"), the size cap, EOF or the deadline.
std::string read_request_head(int fd) {
  std::string data;
  char buffer[2048];
  int waited_ms = 0;
  while (data.find("\r\n\r\n") == std::string::npos && data.size() < kMaxRequestBytes) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 50);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      waited_ms += 50;
      if (waited_ms >= kRequestDeadlineMs) break;
      continue;
    }
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  return data;
}

}  // namespace

bool parse_listen_address(std::string_view text, std::string& host, unsigned& port, std::string& error) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    error = "expected HOST:PORT (e.g. 127.0.0.1:9464), got '" + std::string(text) + "'";
    return false;
  }
  host = std::string(text.substr(0, colon));
  if (host == "localhost") host = "127.0.0.1";
  in_addr parsed{};
  if (::inet_pton(AF_INET, host.c_str(), &parsed) != 1) {
    error = "'" + std::string(text.substr(0, colon)) + "' is not an IPv4 address or localhost";
    return false;
  }
  const std::string_view port_text = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || value > 65535) {
    error = "port '" + std::string(port_text) + "' is not a number in 0..65535";
    return false;
  }
  port = value;
  return true;
}

std::unique_ptr<MetricsServer> MetricsServer::listen(std::string_view address, std::string& error) {
  std::string host;
  unsigned port = 0;
  if (!parse_listen_address(address, host, port, error)) return nullptr;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = "cannot create a socket: " + errno_text();
    return nullptr;
  }
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0) {
    error = "cannot listen on " + std::string(address) + ": " + errno_text();
    ::close(fd);
    return nullptr;
  }
  socklen_t length = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  return std::unique_ptr<MetricsServer>(new MetricsServer(fd, host + ":" + std::to_string(ntohs(addr.sin_port))));
}

MetricsServer::~MetricsServer() {
  if (fd_ >= 0) ::close(fd_);
}

int MetricsServer::poll(const std::function<std::string()>& metrics_text, int wait_ms) {
  if (wait_ms > 0) {
    pollfd p{fd_, POLLIN, 0};
    ::poll(&p, 1, wait_ms);
  }
  int answered = 0;
  for (;;) {
    const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR) continue;
      return answered;  // EAGAIN: nobody waiting (other errors: try again next poll)
    }
    answer(client, metrics_text);
    ::close(client);
    ++answered;
  }
}

void MetricsServer::answer(int client, const std::function<std::string()>& metrics_text) {
  const std::string head = read_request_head(client);
  const auto line_end = head.find("\r\n");
  const std::string_view line = std::string_view(head).substr(0, line_end == std::string::npos ? 0 : line_end);
  // "METHOD TARGET HTTP/1.x"
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.substr(sp2 + 1).rfind("HTTP/1.", 0) != 0) {
    respond(client, "400 Bad Request", "text/plain; charset=utf-8", "dsplay: expected an HTTP/1.x request\n", false);
    return;
  }
  const std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  target = target.substr(0, target.find('?'));
  if (method != "GET" && method != "HEAD") {
    respond(client, "405 Method Not Allowed", "text/plain; charset=utf-8", "dsplay: only GET /metrics\n", false);
    return;
  }
  if (target != "/metrics") {
    respond(client, "404 Not Found", "text/plain; charset=utf-8", "dsplay serves /metrics only\n", method == "HEAD");
    return;
  }
  ++scrapes_;
  respond(client, "200 OK", "text/plain; version=0.0.4; charset=utf-8", metrics_text(), method == "HEAD");
}

}  // namespace dsplay::metrics_server
