// Names and one-line details of message payloads, for the trace and the UI.
#include "core/message.hpp"

namespace dsplay {
namespace {
template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;
}  // namespace

const char* payload_name(const Payload& payload) {
  return std::visit(Overloaded{
                        [](const TokenRequest&) { return "TokenRequest"; },
                        [](const TokenGrant&) { return "TokenGrant"; },
                        [](const TokenRelease&) { return "TokenRelease"; },
                        [](const CacheGet&) { return "CacheGet"; },
                        [](const CacheReply&) { return "CacheReply"; },
                    },
                    payload);
}

std::string payload_detail(const Payload& payload) {
  return std::visit(
      Overloaded{
          [](const TokenRequest& p) { return "req=" + std::to_string(p.request_id); },
          [](const TokenGrant& p) {
            return "epoch=" + std::to_string(p.epoch) + " req=" + std::to_string(p.request_id);
          },
          [](const TokenRelease& p) { return "epoch=" + std::to_string(p.epoch); },
          [](const CacheGet& p) { return "key-" + std::to_string(p.key) + " req=" + std::to_string(p.request_id); },
          [](const CacheReply& p) {
            return "key-" + std::to_string(p.key) + (p.hit ? " hit" : " miss");
          },
      },
      payload);
}

std::pair<std::int64_t, std::int64_t> payload_fields(const Payload& payload) {
  return std::visit(
      Overloaded{
          [](const TokenRequest& p) { return std::pair<std::int64_t, std::int64_t>(static_cast<std::int64_t>(p.request_id), 0); },
          [](const TokenGrant& p) {
            return std::pair<std::int64_t, std::int64_t>(static_cast<std::int64_t>(p.epoch), static_cast<std::int64_t>(p.request_id));
          },
          [](const TokenRelease& p) { return std::pair<std::int64_t, std::int64_t>(static_cast<std::int64_t>(p.epoch), 0); },
          [](const CacheGet& p) { return std::pair<std::int64_t, std::int64_t>(p.key, static_cast<std::int64_t>(p.request_id)); },
          [](const CacheReply& p) { return std::pair<std::int64_t, std::int64_t>(p.key, p.hit ? 1 : 0); },
      },
      payload);
}

}  // namespace dsplay
