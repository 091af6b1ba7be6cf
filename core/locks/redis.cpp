// The simulated Redis server (see redis.hpp).
#include "core/locks/redis.hpp"

#include <type_traits>

#include "core/world.hpp"

namespace dsplay {

void RedisServer::on_start(ProcessContext& ctx) {
  expiry_timer_ = 0;
  if (has_lock_) arm_expiry(ctx);  // keys reloaded from the append-only file keep their expiry
}

void RedisServer::arm_expiry(ProcessContext& ctx) {
  if (expiry_timer_ != 0) ctx.cancel_timer(expiry_timer_);
  expiry_timer_ = 0;
  if (!has_lock_ || expire_at_us_ == kNoExpiry) return;
  const SimTimeUs left_us = expire_at_us_ - ctx.local_now_us();
  expiry_timer_ = ctx.set_timer(left_us > 0 ? left_us : 0, kExpire);
}

void RedisServer::delete_key(ProcessContext& ctx, const char* why, NodeId by) {
  ctx.note(why, by, static_cast<std::int64_t>(value_));
  has_lock_ = false;
  value_ = 0;
  expire_at_us_ = kNoExpiry;
  owner_ = kNoNode;
  set_event_ = 0;
  if (expiry_timer_ != 0) ctx.cancel_timer(expiry_timer_);
  expiry_timer_ = 0;
}

void RedisServer::expire_if_due(ProcessContext& ctx) {
  if (has_lock_ && expire_at_us_ != kNoExpiry && ctx.local_now_us() >= expire_at_us_) delete_key(ctx, "key expired", owner_);
}

void RedisServer::set_key(ProcessContext& ctx, NodeId owner, std::uint64_t value, SimTimeUs ttl_us) {
  has_lock_ = true;
  value_ = value;
  owner_ = owner;
  set_event_ = ctx.world().event_count();
  expire_at_us_ = ttl_us > 0 ? ctx.local_now_us() + ttl_us : kNoExpiry;
  arm_expiry(ctx);
}

void RedisServer::on_timer(ProcessContext& ctx, std::uint32_t kind) {
  if (kind != kExpire) return;
  expiry_timer_ = 0;
  expire_if_due(ctx);
  // Not due yet (the clock was set back): wait for the rest on the clock as it reads now.
  if (has_lock_ && expire_at_us_ != kNoExpiry) arm_expiry(ctx);
}

void RedisServer::on_message(ProcessContext& ctx, const Message& message) {
  ++commands_;
  expire_if_due(ctx);
  const NodeId from = message.from;
  auto reply = [&](std::uint64_t request_id, std::int64_t result, std::uint64_t token = 0) {
    ctx.send(from, RedisReply{request_id, result, token});
  };
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, RedisSetNx>) {
          if (has_lock_) return reply(c.request_id, 0);
          set_key(ctx, from, c.value, 0);
          ctx.note("key set (no TTL)", from, static_cast<std::int64_t>(c.value));
          reply(c.request_id, 1);
        } else if constexpr (std::is_same_v<T, RedisExpire>) {
          if (!has_lock_) return reply(c.request_id, 0);
          expire_at_us_ = ctx.local_now_us() + c.ttl_us;
          arm_expiry(ctx);
          ctx.note("TTL set", from, c.ttl_us);
          reply(c.request_id, 1);
        } else if constexpr (std::is_same_v<T, RedisSet> || std::is_same_v<T, RedisSetFenced>) {
          if (has_lock_) return reply(c.request_id, 0);
          set_key(ctx, from, c.value, c.ttl_us);
          std::uint64_t token = 0;
          if constexpr (std::is_same_v<T, RedisSetFenced>) token = ++fence_;
          ctx.note("key set", from, static_cast<std::int64_t>(c.value), static_cast<std::int64_t>(token));
          reply(c.request_id, 1, token);
        } else if constexpr (std::is_same_v<T, RedisGet>) {
          reply(c.request_id, has_lock_ ? static_cast<std::int64_t>(value_) : 0);
        } else if constexpr (std::is_same_v<T, RedisDel>) {
          if (!has_lock_) return reply(c.request_id, 0);
          if (owner_ != from) delete_key(ctx, "key deleted by another client", from);
          else delete_key(ctx, "key deleted", from);
          reply(c.request_id, 1);
        } else if constexpr (std::is_same_v<T, RedisDelIfEqual>) {
          if (!has_lock_ || value_ != c.value) return reply(c.request_id, 0);  // not ours: left alone
          delete_key(ctx, "key deleted", from);
          reply(c.request_id, 1);
        } else {
          --commands_;  // not a Redis command
        }
      },
      message.payload);
}

void RedisServer::on_crash() {
  expiry_timer_ = 0;
  commands_ = 0;
  if (persist_) return;
  has_lock_ = false;
  value_ = 0;
  expire_at_us_ = kNoExpiry;
  owner_ = kNoNode;
  set_event_ = 0;
  // the fence counter is a key like any other: without persistence it is gone too
  fence_ = 0;
}

std::string RedisServer::status() const {
  if (!has_lock_) return "lock: (nil)";
  return "lock = " + std::to_string(value_) + (expire_at_us_ == kNoExpiry ? ", no TTL" : "");
}

Inspection RedisServer::inspect() const {
  Inspection out = {{"key lock", has_lock_ ? std::to_string(value_) : "(nil)"}};
  if (has_lock_) {
    out.push_back({"set by", "node " + std::to_string(owner_)});
    out.push_back({"expires at (server clock)", expire_at_us_ == kNoExpiry ? "never (no TTL)" : format_duration(expire_at_us_)});
  }
  out.push_back({"key fence", std::to_string(fence_)});
  out.push_back({"persistence", persist_ ? "append-only file, fsync always" : "none (a crash loses every key)"});
  out.push_back({"commands since start", std::to_string(commands_)});
  return out;
}

void RedisServer::hash_into(Hasher& h) const {
  h.boolean(persist_).boolean(has_lock_).u64(value_).i64(expire_at_us_).u64(owner_).u64(set_event_);
  h.u64(fence_).u64(expiry_timer_).u64(commands_);
}

}  // namespace dsplay
