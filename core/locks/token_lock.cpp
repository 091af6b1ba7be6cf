// Token-based lock: coordinator and client state machines (see token_lock.hpp).
#include "core/locks/token_lock.hpp"

#include <algorithm>

namespace dsplay {

// ---------------------------------------------------------------- coordinator

void TokenCoordinator::on_start(ProcessContext& ctx) {
  if (holder_ == kNoNode) ctx.note("token free");
}

void TokenCoordinator::grant(ProcessContext& ctx, NodeId client, std::uint64_t request_id) {
  holder_ = client;
  holder_request_ = request_id;
  ++epoch_;
  ++grants_;
  ctx.note("grant", client, static_cast<std::int64_t>(epoch_));
  ctx.send(client, TokenGrant{request_id, epoch_});
}

void TokenCoordinator::on_message(ProcessContext& ctx, const Message& message) {
  if (const auto* request = std::get_if<TokenRequest>(&message.payload)) {
    const NodeId client = message.from;
    if (holder_ == client && request->request_id < holder_request_) {
      ctx.note("stale request", client, static_cast<std::int64_t>(request->request_id));  // overtaken on the way
      return;
    }
    if (holder_ == client) {
      if (request->request_id == holder_request_) {
        // The same request again: our grant was lost or the client retried; resend (idempotent).
        ctx.send(client, TokenGrant{holder_request_, epoch_});
        return;
      }
      // A newer request from the holder means it let go of the token (its release was lost, or
      // it restarted): take the token back, then treat this as a fresh request.
      ctx.note("implied release", client, static_cast<std::int64_t>(epoch_));
      holder_ = kNoNode;
      holder_request_ = 0;
      if (!waiting_.empty()) {
        const auto [next, next_request] = waiting_.front();
        waiting_.pop_front();
        grant(ctx, next, next_request);
      }
    }
    auto queued = std::find_if(waiting_.begin(), waiting_.end(), [&](const auto& w) { return w.first == client; });
    if (queued != waiting_.end()) {
      queued->second = std::max(queued->second, request->request_id);
      return;
    }
    if (holder_ == kNoNode) {
      grant(ctx, client, request->request_id);
    } else {
      waiting_.emplace_back(client, request->request_id);
      ctx.note("queued", client, static_cast<std::int64_t>(waiting_.size()));
    }
  } else if (const auto* release = std::get_if<TokenRelease>(&message.payload)) {
    if (holder_ != message.from || release->epoch != epoch_) {
      ctx.note("stale release", message.from, static_cast<std::int64_t>(release->epoch));
      return;
    }
    holder_ = kNoNode;
    holder_request_ = 0;
    if (waiting_.empty()) {
      ctx.note("token free");
    } else {
      const auto [next, request_id] = waiting_.front();
      waiting_.pop_front();
      grant(ctx, next, request_id);
    }
  }
}

void TokenCoordinator::on_crash() {
  if (config_.durable) return;  // holder, queue and epoch are on disk
  holder_ = kNoNode;
  holder_request_ = 0;
  waiting_.clear();
  grants_ = 0;
}

bool TokenCoordinator::on_client_op(ProcessContext&, const std::string& op, std::int64_t, std::string& error) {
  error = "the token coordinator takes no client operations (got \"" + op + "\")";
  return false;
}

std::vector<NodeId> TokenCoordinator::queue() const {
  std::vector<NodeId> out;
  for (const auto& w : waiting_) out.push_back(w.first);
  return out;
}

std::string TokenCoordinator::status() const {
  return "epoch " + std::to_string(epoch_) + ", " + std::to_string(waiting_.size()) + " queued";
}

Inspection TokenCoordinator::inspect() const {
  return {{"holder", holder_ == kNoNode ? "(token free)" : "node " + std::to_string(holder_)},
          {"epoch (durable)", std::to_string(epoch_)},
          {"queue length", std::to_string(waiting_.size())},
          {"grants since start", std::to_string(grants_)},
          {"holder and queue", config_.durable ? "on disk (durable)" : "in memory (lost on crash)"}};
}

void TokenCoordinator::hash_into(Hasher& h) const {
  h.u64(holder_).u64(holder_request_).u64(epoch_).u64(grants_).u64(waiting_.size());
  for (const auto& w : waiting_) h.u64(w.first).u64(w.second);
}

// ---------------------------------------------------------------- client

CsProgram TokenClient::program() const {
  // The token lock keeps its original manual mode: without auto_acquire a holder holds until told.
  return {config_.hold_us, config_.think_us, config_.retry_us, config_.auto_acquire, config_.auto_acquire, config_.write};
}

void TokenClient::begin_acquire(ProcessContext& ctx) {
  const NodeId coordinator = ctx.find_role(NodeRole::token_coordinator);
  if (coordinator == kNoNode) {
    set_phase(LockPhase::idle);
    return;
  }
  ++request_id_;
  ctx.send(coordinator, TokenRequest{request_id_});
  retry_timer_ = ctx.set_timer(config_.retry_us, kRetry);
}

void TokenClient::release_lock(ProcessContext& ctx) {
  const NodeId coordinator = ctx.find_role(NodeRole::token_coordinator);
  if (coordinator != kNoNode) ctx.send(coordinator, TokenRelease{token()});
}

void TokenClient::on_message(ProcessContext& ctx, const Message& message) {
  if (program_message(ctx, message)) return;
  const auto* grant = std::get_if<TokenGrant>(&message.payload);
  if (grant == nullptr) return;
  if (phase() == LockPhase::acquiring && grant->request_id == request_id_) {
    cancel(ctx, retry_timer_);
    entered(ctx, grant->epoch, kSimTimeMaxUs, false);
  } else if (critical_section().inside && grant->epoch == token()) {
    // a duplicate of the grant we hold: nothing to do
  } else {
    // A grant we no longer want (we restarted, or gave up): hand the token straight back.
    ctx.note("returned unwanted grant", message.from, static_cast<std::int64_t>(grant->epoch));
    ctx.send(message.from, TokenRelease{grant->epoch});
  }
}

void TokenClient::on_timer(ProcessContext& ctx, std::uint32_t kind) {
  if (program_timer(ctx, kind)) return;
  if (kind == kRetry) {
    retry_timer_ = 0;
    if (phase() == LockPhase::acquiring) {
      const NodeId coordinator = ctx.find_role(NodeRole::token_coordinator);
      ctx.note("retry", coordinator, static_cast<std::int64_t>(request_id_));
      if (coordinator != kNoNode) ctx.send(coordinator, TokenRequest{request_id_});
      retry_timer_ = ctx.set_timer(config_.retry_us, kRetry);
    }
  }
}

void TokenClient::on_crash() {
  program_crash();
  retry_timer_ = 0;
}

bool TokenClient::on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t, std::string& error) {
  if (op == "acquire" && phase() != LockPhase::idle) {
    error = critical_section().inside ? "already holds the token" : "already waiting for the token";
    return false;
  }
  if (op == "release" && !critical_section().inside) {
    error = "does not hold the token";
    return false;
  }
  if (op != "acquire" && op != "release" && op != "write") {
    error = "token clients take \"acquire\", \"write\" or \"release\", not \"" + op + "\"";
    return false;
  }
  return program_op(ctx, op, error);
}

TokenClient::State TokenClient::state() const {
  switch (phase()) {
    case LockPhase::idle: return State::idle;
    case LockPhase::acquiring:
    case LockPhase::releasing: return State::waiting;
    case LockPhase::holding:
    case LockPhase::writing: return State::holding;
  }
  return State::idle;
}

std::string TokenClient::status() const {
  switch (phase()) {
    case LockPhase::idle: return "idle";
    case LockPhase::acquiring:
    case LockPhase::releasing: return "waiting";
    case LockPhase::holding: return "HOLDS token (epoch " + std::to_string(token()) + ")";
    case LockPhase::writing: return "HOLDS token (epoch " + std::to_string(token()) + "), writing";
  }
  return {};
}

Inspection TokenClient::inspect() const {
  Inspection out = {{"state", status()},
                    {"request id", std::to_string(request_id_)},
                    {"acquisitions", std::to_string(acquisitions())},
                    {"auto acquire", config_.auto_acquire ? "yes" : "no"}};
  if (writes_accepted() + writes_rejected() != 0)
    out.push_back({"writes accepted / rejected", std::to_string(writes_accepted()) + " / " + std::to_string(writes_rejected())});
  return out;
}

void TokenClient::hash_into(Hasher& h) const {
  hash_program(h);
  h.u64(request_id_).u64(retry_timer_);
}

}  // namespace dsplay
