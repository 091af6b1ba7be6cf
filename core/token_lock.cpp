// Token-based lock: coordinator and client state machines (see token_lock.hpp).
#include "core/token_lock.hpp"

#include <algorithm>

#include "core/world.hpp"

namespace dsplay {

// ---------------------------------------------------------------- coordinator

void TokenCoordinator::on_start(ProcessContext& ctx) { ctx.note("token free"); }

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
      queued->second = request->request_id;
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
          {"grants since start", std::to_string(grants_)}};
}

void TokenCoordinator::hash_into(Hasher& h) const {
  h.u64(holder_).u64(holder_request_).u64(epoch_).u64(grants_).u64(waiting_.size());
  for (const auto& w : waiting_) h.u64(w.first).u64(w.second);
}

// ---------------------------------------------------------------- client

void TokenClient::on_start(ProcessContext& ctx) {
  if (config_.auto_acquire) ctx.set_timer(ctx.random_between(config_.think_us / 2, config_.think_us * 3 / 2), kThink);
}

void TokenClient::acquire(ProcessContext& ctx) {
  const NodeId coordinator = ctx.find_role(NodeRole::token_coordinator);
  if (coordinator == kNoNode) return;
  state_ = State::waiting;
  ++request_id_;
  waiting_since_us_ = ctx.local_now_us();
  ctx.send(coordinator, TokenRequest{request_id_});
  retry_timer_ = ctx.set_timer(config_.retry_us, kRetry);
}

void TokenClient::release(ProcessContext& ctx) {
  const NodeId coordinator = ctx.find_role(NodeRole::token_coordinator);
  state_ = State::idle;
  if (hold_timer_ != 0) ctx.cancel_timer(hold_timer_);
  hold_timer_ = 0;
  ctx.note("released", kNoNode, static_cast<std::int64_t>(epoch_));
  if (coordinator != kNoNode) ctx.send(coordinator, TokenRelease{epoch_});
  if (config_.auto_acquire) ctx.set_timer(ctx.random_between(config_.think_us / 2, config_.think_us * 3 / 2), kThink);
}

void TokenClient::on_message(ProcessContext& ctx, const Message& message) {
  const auto* grant = std::get_if<TokenGrant>(&message.payload);
  if (grant == nullptr) return;
  if (state_ == State::waiting && grant->request_id == request_id_) {
    state_ = State::holding;
    epoch_ = grant->epoch;
    ++acquisitions_;
    if (retry_timer_ != 0) ctx.cancel_timer(retry_timer_);
    retry_timer_ = 0;
    ctx.note("acquired", message.from, static_cast<std::int64_t>(epoch_));
    if (config_.auto_acquire) hold_timer_ = ctx.set_timer(config_.hold_us, kHold);
  } else if (state_ == State::holding && grant->epoch == epoch_) {
    // a duplicate of the grant we hold: nothing to do
  } else {
    // A grant we no longer want (we restarted, or gave up): hand the token straight back.
    ctx.note("returned unwanted grant", message.from, static_cast<std::int64_t>(grant->epoch));
    ctx.send(message.from, TokenRelease{grant->epoch});
  }
}

void TokenClient::on_timer(ProcessContext& ctx, std::uint32_t kind) {
  switch (kind) {
    case kThink:
      if (state_ == State::idle) acquire(ctx);
      break;
    case kHold:
      hold_timer_ = 0;
      if (state_ == State::holding) release(ctx);
      break;
    case kRetry:
      retry_timer_ = 0;
      if (state_ == State::waiting) {
        const NodeId coordinator = ctx.find_role(NodeRole::token_coordinator);
        ctx.note("retry", coordinator, static_cast<std::int64_t>(request_id_));
        if (coordinator != kNoNode) ctx.send(coordinator, TokenRequest{request_id_});
        retry_timer_ = ctx.set_timer(config_.retry_us, kRetry);
      }
      break;
    default:
      break;
  }
}

void TokenClient::on_crash() {
  state_ = State::idle;
  epoch_ = 0;
  retry_timer_ = 0;
  hold_timer_ = 0;
}

bool TokenClient::on_client_op(ProcessContext& ctx, const std::string& op, std::int64_t, std::string& error) {
  if (op == "acquire") {
    if (state_ != State::idle) {
      error = state_ == State::holding ? "already holds the token" : "already waiting for the token";
      return false;
    }
    acquire(ctx);
    return true;
  }
  if (op == "release") {
    if (state_ != State::holding) {
      error = "does not hold the token";
      return false;
    }
    release(ctx);
    return true;
  }
  error = "token clients take \"acquire\" or \"release\", not \"" + op + "\"";
  return false;
}

NodeActivity TokenClient::activity() const {
  switch (state_) {
    case State::idle: return NodeActivity::idle;
    case State::waiting: return NodeActivity::waiting;
    case State::holding: return NodeActivity::active;
  }
  return NodeActivity::idle;
}

std::string TokenClient::status() const {
  switch (state_) {
    case State::idle: return "idle";
    case State::waiting: return "waiting";
    case State::holding: return "HOLDS token (epoch " + std::to_string(epoch_) + ")";
  }
  return {};
}

Inspection TokenClient::inspect() const {
  return {{"state", status()},
          {"request id", std::to_string(request_id_)},
          {"acquisitions", std::to_string(acquisitions_)},
          {"auto acquire", config_.auto_acquire ? "yes" : "no"}};
}

void TokenClient::hash_into(Hasher& h) const {
  h.u64(static_cast<std::uint64_t>(state_)).u64(request_id_).u64(epoch_).u64(acquisitions_);
  h.u64(retry_timer_).u64(hold_timer_).i64(waiting_since_us_);
}

}  // namespace dsplay
