// The Redlock client (see redlock.hpp).
#include "core/locks/redlock.hpp"

#include "core/world.hpp"

namespace dsplay {

void RedlockClient::begin_acquire(ProcessContext& ctx) {
  nodes_.clear();
  const auto& all = ctx.world().nodes();
  for (NodeId id = 0; id < all.size(); ++id)
    if (all[id].role == NodeRole::redis && !all[id].removed) nodes_.push_back(id);
  if (nodes_.empty()) {
    acquire_failed(ctx);
    return;
  }
  answer_.assign(nodes_.size(), 0);
  ++request_id_;
  value_ = 1 + ctx.random_below(999'999);
  start_mono_us_ = ctx.monotonic_now_us();
  granted_ = answered_ = 0;
  best_token_ = 0;
  collecting_ = true;
  for (NodeId node : nodes_) {
    if (config_.redlock_fenced) ctx.send(node, RedisSetFenced{request_id_, value_, config_.ttl_us});
    else ctx.send(node, RedisSet{request_id_, value_, config_.ttl_us});
  }
  collect_timer_ = ctx.set_timer(config_.redlock_node_timeout_us, kCollect);
}

void RedlockClient::on_message(ProcessContext& ctx, const Message& message) {
  if (program_message(ctx, message)) return;
  const auto* reply = std::get_if<RedisReply>(&message.payload);
  if (reply == nullptr || !collecting_ || reply->request_id != request_id_) return;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i] != message.from || answer_[i] != 0) continue;
    answer_[i] = reply->result != 0 ? 1 : 2;
    ++answered_;
    if (reply->result != 0) {
      ++granted_;
      if (reply->token > best_token_) best_token_ = reply->token;
    }
  }
  if (answered_ == nodes_.size()) decide(ctx);
}

void RedlockClient::decide(ProcessContext& ctx) {
  collecting_ = false;
  cancel(ctx, collect_timer_);
  const std::uint32_t quorum = static_cast<std::uint32_t>(nodes_.size() / 2 + 1);
  const SimTimeUs elapsed_us = ctx.monotonic_now_us() - start_mono_us_;
  const SimTimeUs drift_us = lease_drift_us(config_.ttl_us);
  last_validity_us_ = config_.ttl_us - elapsed_us - drift_us;
  if (granted_ >= quorum && last_validity_us_ > 0) {
    ctx.note("majority", kNoNode, granted_, last_validity_us_);
    entered(ctx, best_token_, start_mono_us_ + config_.ttl_us - drift_us, true);
    return;
  }
  ++attempts_failed_;
  ctx.note(granted_ >= quorum ? "no validity left" : "no majority", kNoNode, granted_, last_validity_us_);
  unlock_all(ctx);
  cancel(ctx, retry_timer_);
  retry_timer_ = ctx.set_timer(ctx.random_between(config_.retry_us / 2, config_.retry_us * 3 / 2), kRetry);
}

void RedlockClient::unlock_all(ProcessContext& ctx) {
  ++request_id_;
  for (NodeId node : nodes_) ctx.send(node, RedisDelIfEqual{request_id_, value_});
}

void RedlockClient::release_lock(ProcessContext& ctx) { unlock_all(ctx); }

void RedlockClient::on_timer(ProcessContext& ctx, std::uint32_t kind) {
  if (program_timer(ctx, kind)) return;
  if (kind == kCollect) {
    collect_timer_ = 0;
    if (collecting_) decide(ctx);
  } else if (kind == kRetry) {
    retry_timer_ = 0;
    if (phase() == LockPhase::acquiring) begin_acquire(ctx);
  }
}

void RedlockClient::on_crash() {
  program_crash();
  collecting_ = false;
  collect_timer_ = retry_timer_ = 0;
  granted_ = answered_ = 0;
}

std::string RedlockClient::status() const {
  std::string out = std::string("redlock, ") + lock_phase_name(phase());
  if (collecting_) out += " (" + std::to_string(granted_) + "/" + std::to_string(nodes_.size()) + " yes)";
  return out;
}

Inspection RedlockClient::inspect() const {
  Inspection out = program_inspection();
  out.push_back({"nodes granted (last attempt)", std::to_string(granted_) + " of " + std::to_string(nodes_.size())});
  out.push_back({"validity left at decision", format_duration(last_validity_us_)});
  out.push_back({"failed attempts", std::to_string(attempts_failed_)});
  out.push_back({"value in the keys", value_ ? std::to_string(value_) : "-"});
  return out;
}

void RedlockClient::hash_into(Hasher& h) const {
  hash_program(h);
  for (NodeId n : nodes_) h.u64(n);
  for (auto a : answer_) h.u64(a);
  h.u64(request_id_).u64(value_).i64(start_mono_us_).u64(granted_).u64(answered_).u64(best_token_);
  h.i64(last_validity_us_).boolean(collecting_).u64(collect_timer_).u64(retry_timer_).u64(attempts_failed_);
}

}  // namespace dsplay
