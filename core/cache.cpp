// Cache servers and clients routing gets over the world's ring (see cache.hpp).
#include "core/cache.hpp"

#include "core/world.hpp"

namespace dsplay {

void CacheServer::on_message(ProcessContext& ctx, const Message& message) {
  const auto* get = std::get_if<CacheGet>(&message.payload);
  if (get == nullptr) return;
  const bool hit = !cached_.insert(get->key).second;
  (hit ? hits_ : misses_) += 1;
  ctx.send(message.from, CacheReply{get->key, get->request_id, hit});
}

bool CacheServer::on_client_op(ProcessContext&, const std::string& op, std::int64_t, std::string& error) {
  if (op == "flush") {
    cached_.clear();
    return true;
  }
  error = "cache servers take \"flush\", not \"" + op + "\"";
  return false;
}

std::string CacheServer::status() const { return std::to_string(cached_.size()) + " keys"; }

Inspection CacheServer::inspect() const {
  return {{"cached keys", std::to_string(cached_.size())},
          {"hits", std::to_string(hits_)},
          {"misses", std::to_string(misses_)}};
}

void CacheServer::hash_into(Hasher& h) const {
  h.u64(hits_).u64(misses_).u64(cached_.size());
  for (std::uint32_t key : cached_) h.u64(key);
}

void CacheClient::on_start(ProcessContext& ctx) {
  ctx.set_timer(ctx.random_between(1, config_.request_interval_us * 2), kNextGet);
}

bool CacheClient::get(ProcessContext& ctx, std::uint32_t key, std::string& error) {
  const RingModule& ring = ctx.world().ring();
  if (key >= ring.key_positions().size()) {
    error = "no sample key " + std::to_string(key) + " (the ring has " + std::to_string(ring.key_positions().size()) + ")";
    return false;
  }
  const std::uint32_t member = ring.key_owner()[key];
  if (member == kNoMember) {
    error = "no live cache node owns key-" + std::to_string(key);
    return false;
  }
  const auto node = ctx.world().find_node(ring.members()[member]);
  if (!node) {
    error = "ring member " + ring.members()[member] + " is not a node";
    return false;
  }
  ++sent_;
  ctx.send(*node, CacheGet{key, next_request_++});
  return true;
}

void CacheClient::on_timer(ProcessContext& ctx, std::uint32_t kind) {
  if (kind != kNextGet) return;
  const std::size_t keys = ctx.world().ring().key_positions().size();
  if (keys > 0) {
    std::string ignored;
    get(ctx, static_cast<std::uint32_t>(ctx.random_below(keys)), ignored);
  }
  ctx.set_timer(ctx.random_between(1, config_.request_interval_us * 2), kNextGet);
}

void CacheClient::on_message(ProcessContext&, const Message& message) {
  const auto* reply = std::get_if<CacheReply>(&message.payload);
  if (reply == nullptr) return;
  (reply->hit ? hits_ : misses_) += 1;
}

bool CacheClient::on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t arg, std::string& error) {
  if (op == "get") {
    if (arg < 0) {
      error = "key index must be >= 0";
      return false;
    }
    return get(ctx, static_cast<std::uint32_t>(arg), error);
  }
  error = "cache clients take \"get\", not \"" + op + "\"";
  return false;
}

std::string CacheClient::status() const {
  const std::uint64_t total = hits_ + misses_;
  return total == 0 ? "no replies yet" : std::to_string(hits_ * 100 / total) + "% hits";
}

Inspection CacheClient::inspect() const {
  return {{"gets sent", std::to_string(sent_)}, {"hits", std::to_string(hits_)}, {"misses", std::to_string(misses_)}};
}

void CacheClient::hash_into(Hasher& h) const { h.u64(next_request_).u64(sent_).u64(hits_).u64(misses_); }

}  // namespace dsplay
