// The Redis lease lock client in its three variants (see redis_lock.hpp).
#include "core/locks/redis_lock.hpp"

namespace dsplay {

void RedisLockClient::begin_acquire(ProcessContext& ctx) { send_acquire(ctx); }

void RedisLockClient::send_acquire(ProcessContext& ctx) {
  const NodeId redis = ctx.find_role(NodeRole::redis);
  if (redis == kNoNode) {
    acquire_failed(ctx);
    return;
  }
  ++request_id_;
  sent_mono_us_ = ctx.monotonic_now_us();
  switch (config_.redis_variant) {
    case RedisVariant::naive:
      value_ = 1;  // "SETNX lock 1": the value says nothing about who holds it
      step_ = Step::setnx;
      ctx.send(redis, RedisSetNx{request_id_, value_});
      break;
    case RedisVariant::atomic:
      value_ = 1 + ctx.random_below(999'999);  // a random value only this acquisition knows
      step_ = Step::set;
      ctx.send(redis, RedisSet{request_id_, value_, config_.ttl_us});
      break;
    case RedisVariant::fenced:
      value_ = 1 + ctx.random_below(999'999);
      step_ = Step::set;
      ctx.send(redis, RedisSetFenced{request_id_, value_, config_.ttl_us});
      break;
  }
  timeout_timer_ = ctx.set_timer(config_.retry_us * 4, kRequestTimeout);
}

void RedisLockClient::retry_later(ProcessContext& ctx) {
  step_ = Step::none;
  cancel(ctx, timeout_timer_);
  cancel(ctx, retry_timer_);
  retry_timer_ = ctx.set_timer(ctx.random_between(config_.retry_us / 2, config_.retry_us * 3 / 2), kRetry);
}

void RedisLockClient::on_message(ProcessContext& ctx, const Message& message) {
  if (program_message(ctx, message)) return;
  const auto* reply = std::get_if<RedisReply>(&message.payload);
  if (reply == nullptr || reply->request_id != request_id_ || step_ == Step::none) return;
  const SimTimeUs drift_us = lease_drift_us(config_.ttl_us);
  switch (step_) {
    case Step::none: return;
    case Step::setnx:
      if (phase() != LockPhase::acquiring) return;
      if (reply->result == 0) {
        ++busy_;
        retry_later(ctx);
        return;
      }
      // Got it, with no TTL yet: the second command of the pair. A crash before it reaches the
      // server leaves the key there for ever.
      ++request_id_;
      step_ = Step::expire;
      cancel(ctx, timeout_timer_);
      sent_mono_us_ = ctx.monotonic_now_us();
      ctx.send(message.from, RedisExpire{request_id_, config_.ttl_us});
      // The naive client does not wait for EXPIRE's answer, and never watches its lease.
      step_ = Step::none;
      entered(ctx, 0, sent_mono_us_ + config_.ttl_us - drift_us, false);
      return;
    case Step::expire: return;
    case Step::set: {
      if (phase() != LockPhase::acquiring) return;
      if (reply->result == 0) {
        ++busy_;
        retry_later(ctx);
        return;
      }
      step_ = Step::none;
      cancel(ctx, timeout_timer_);
      const SimTimeUs lease_until_us = sent_mono_us_ + config_.ttl_us - drift_us;
      if (ctx.monotonic_now_us() >= lease_until_us) {
        // The answer came too late to use: the lease is already over. Give it back, try again.
        ctx.note("lease expired before the reply", message.from);
        ctx.send(message.from, RedisDelIfEqual{++request_id_, value_});
        retry_later(ctx);
        return;
      }
      entered(ctx, reply->token, lease_until_us, true);
      return;
    }
  }
}

void RedisLockClient::release_lock(ProcessContext& ctx) {
  const NodeId redis = ctx.find_role(NodeRole::redis);
  if (redis == kNoNode) return;
  ++request_id_;
  step_ = Step::none;
  if (config_.redis_variant == RedisVariant::naive) ctx.send(redis, RedisDel{request_id_});
  else ctx.send(redis, RedisDelIfEqual{request_id_, value_});
}

void RedisLockClient::on_timer(ProcessContext& ctx, std::uint32_t kind) {
  if (program_timer(ctx, kind)) return;
  if (kind == kRetry) {
    retry_timer_ = 0;
    if (phase() == LockPhase::acquiring) send_acquire(ctx);
  } else if (kind == kRequestTimeout) {
    timeout_timer_ = 0;
    if (phase() == LockPhase::acquiring && step_ != Step::none) {
      ctx.note("no answer from redis", kNoNode, static_cast<std::int64_t>(request_id_));
      retry_later(ctx);
    }
  }
}

void RedisLockClient::on_crash() {
  program_crash();
  step_ = Step::none;
  value_ = 0;
  retry_timer_ = 0;
  timeout_timer_ = 0;
}

std::string RedisLockClient::status() const {
  const CriticalSection cs = critical_section();
  std::string out = std::string(redis_variant_name(config_.redis_variant)) + " client, " + lock_phase_name(phase());
  if (cs.inside && config_.redis_variant == RedisVariant::fenced) out += " (token " + std::to_string(cs.token) + ")";
  return out;
}

Inspection RedisLockClient::inspect() const {
  Inspection out = program_inspection();
  out.insert(out.begin(), {"variant", redis_variant_name(config_.redis_variant)});
  out.push_back({"value in the key", value_ ? std::to_string(value_) : "-"});
  out.push_back({"lock busy answers", std::to_string(busy_)});
  out.push_back({"ttl", format_duration(config_.ttl_us)});
  return out;
}

void RedisLockClient::hash_into(Hasher& h) const {
  hash_program(h);
  h.u64(static_cast<std::uint64_t>(step_)).u64(request_id_).u64(value_).i64(sent_mono_us_);
  h.u64(retry_timer_).u64(timeout_timer_).u64(busy_);
}

}  // namespace dsplay
