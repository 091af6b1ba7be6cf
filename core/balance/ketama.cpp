// libmemcached-compatible ketama continuum (see ketama.hpp for the exact rules reproduced).
#include "core/balance/ketama.hpp"

#include <algorithm>

#include "core/balance/md5.hpp"

namespace dsplay::balance {
namespace {

KetamaServer normalized(KetamaServer server) {
  // memcached_server_add_with_weight: port 0 -> 11211, "" -> "localhost"; _server_init: weight 0 -> 1.
  if (server.port == 0) server.port = kMemcachedDefaultPort;
  if (server.host.empty()) server.host = "localhost";
  if (server.weight == 0) server.weight = 1;
  return server;
}

}  // namespace

std::uint32_t one_at_a_time_hash(std::string_view key) {
  std::uint32_t value = 0;
  for (char ch : key) {
    // (uint32_t) of a signed char: 0x80..0xFF become 0xFFFFFF80..0xFFFFFFFF, as on x86.
    value += static_cast<std::uint32_t>(static_cast<std::int32_t>(static_cast<signed char>(ch)));
    value += value << 10;
    value ^= value >> 6;
  }
  value += value << 3;
  value ^= value >> 11;
  value += value << 15;
  return value;
}

std::uint32_t md5_hash32(std::string_view key) { return md5_word_le(md5(key), 0); }

std::string ketama_point_name(const KetamaServer& server, std::uint32_t index) {
  // hosts.cc update_continuum: "%s-%u" for the default port, else "%s:%u-%u".
  std::string name = server.host;
  if (server.port != kMemcachedDefaultPort) {
    name += ':';
    name += std::to_string(server.port);
  }
  name += '-';
  name += std::to_string(index);
  return name;
}

KetamaRing::KetamaRing(std::vector<KetamaServer> servers, KetamaConfig config) : config_(config) {
  for (auto& s : servers) servers_.push_back(normalized(std::move(s)));
  rebuild();
}

void KetamaRing::add_server(const KetamaServer& server) {
  servers_.push_back(normalized(server));
  rebuild();
}

bool KetamaRing::remove_server(std::string_view host, std::uint16_t port) {
  if (port == 0) port = kMemcachedDefaultPort;
  if (host.empty()) host = "localhost";
  auto it = std::find_if(servers_.begin(), servers_.end(),
                         [&](const KetamaServer& s) { return s.host == host && s.port == port; });
  if (it == servers_.end()) return false;
  servers_.erase(it);
  rebuild();
  return true;
}

std::uint32_t KetamaRing::key_hash(std::string_view key) const {
  return config_.key_hash == KetamaKeyHash::md5 ? md5_hash32(key) : one_at_a_time_hash(key);
}

std::uint32_t KetamaRing::points_for(std::uint32_t server) const {
  if (config_.points == KetamaPoints::one_per_name) return kKetamaPlainPointsPerServer;
  // Reproduces libmemcached's single-precision arithmetic step by step (each step rounded to
  // float, as the C expression is evaluated with FLT_EVAL_METHOD 0 on x86-64 SSE and wasm; kept
  // as separate statements so no compiler fuses the multiply and add). Basic IEEE operations are
  // correctly rounded everywhere, so this is as deterministic as integer math. The result is
  // floor(...) * 4: a non-negative float's floor is its truncation.
  std::uint64_t total_weight = 0;
  for (const auto& s : servers_) total_weight += s.weight;
  const float pct = static_cast<float>(servers_[server].weight) / static_cast<float>(total_weight);
  float x = pct * static_cast<float>(kKetamaPointsPerServer);
  x = x / 4.0f;
  x = x * static_cast<float>(static_cast<std::uint32_t>(servers_.size()));
  x = x + 0.0000000001f;
  return static_cast<std::uint32_t>(x) * 4;
}

void KetamaRing::rebuild() {
  std::vector<std::uint64_t> packed;  // (value << 32) | server: sorts by value, then server index
  for (std::uint32_t s = 0; s < servers_.size(); ++s) {
    const std::uint32_t points = points_for(s);
    if (config_.points == KetamaPoints::md5_four_per_digest) {
      for (std::uint32_t i = 0; i < points / 4; ++i) {
        const Md5Digest digest = md5(ketama_point_name(servers_[s], i));
        for (unsigned word = 0; word < 4; ++word)
          packed.push_back((static_cast<std::uint64_t>(md5_word_le(digest, word)) << 32) | s);
      }
    } else {
      for (std::uint32_t i = 0; i < points; ++i)
        packed.push_back((static_cast<std::uint64_t>(key_hash(ketama_point_name(servers_[s], i))) << 32) | s);
    }
  }
  std::sort(packed.begin(), packed.end());
  values_.assign(packed.size(), 0);
  owners_.assign(packed.size(), 0);
  values_.shrink_to_fit();
  owners_.shrink_to_fit();
  for (std::size_t i = 0; i < packed.size(); ++i) {
    values_[i] = static_cast<std::uint32_t>(packed[i] >> 32);
    owners_[i] = static_cast<std::uint32_t>(packed[i]);
  }
}

std::uint32_t KetamaRing::lookup_hash(std::uint32_t hash) const {
  if (values_.empty()) return kNoServer;
  const auto it = std::lower_bound(values_.begin(), values_.end(), hash);
  const std::size_t i = it == values_.end() ? 0 : static_cast<std::size_t>(it - values_.begin());
  return owners_[i];
}

std::uint32_t KetamaRing::lookup(std::string_view key) const {
  if (values_.empty()) return kNoServer;
  if (servers_.size() == 1) return owners_[0];  // libmemcached does not hash for one server
  return lookup_hash(key_hash(key));
}

std::vector<std::string> KetamaRing::server_names() const {
  std::vector<std::string> names;
  for (const auto& s : servers_) names.push_back(s.host + ":" + std::to_string(s.port));
  return names;
}

std::vector<KetamaRing::Point> KetamaRing::points() const {
  std::vector<Point> out;
  out.reserve(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) out.push_back(Point{values_[i], owners_[i]});
  return out;
}

std::size_t KetamaRing::memory_bytes() const {
  return values_.capacity() * sizeof(std::uint32_t) + owners_.capacity() * sizeof(std::uint32_t);
}

}  // namespace dsplay::balance
