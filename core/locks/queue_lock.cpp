// The coordination service and the queue-lock client (see queue_lock.hpp).
#include "core/locks/queue_lock.hpp"

#include <algorithm>

namespace dsplay {

// ---------------------------------------------------------------- service

void CoordService::on_start(ProcessContext& ctx) {
  // After a restart every session gets a whole timeout again (clients had no way to reach us).
  const SimTimeUs now = ctx.monotonic_now_us();
  for (auto& s : sessions_) s.last_heard_mono_us = now;
  sweep_timer_ = ctx.set_timer(std::max<SimTimeUs>(session_timeout_us_ / 4, kUsPerMs), kSweep);
}

ZkSessionState* CoordService::session(std::uint64_t id) {
  for (auto& s : sessions_)
    if (s.id == id) return &s;
  return nullptr;
}

bool CoordService::waiting(std::uint64_t session, std::uint64_t lowest_before) const {
  for (const auto& e : entries_)
    if (e.session == session && e.seq != lowest_before) return true;
  return false;
}

void CoordService::fire_child_watches(ProcessContext& ctx, std::uint64_t seq, bool deleted, std::uint64_t lowest_before) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < watches_.size(); ++i) {
    const ZkWatchState w = watches_[i];
    if (w.child) {
      ctx.send(w.client, ZkWatchEvent{seq, deleted, true});
      // A wake-up is a watch that rouses a waiter (the holder's own leftover watch fires too, but
      // wakes nobody who was waiting).
      if (waiting(w.session, lowest_before)) {
        ++wakeups_;
        if (deleted) ++wakeups_on_delete_, ++last_delete_wakeups_;
      }
    } else {
      watches_[kept++] = w;
    }
  }
  watches_.resize(kept);
}

void CoordService::remove_entry(ProcessContext& ctx, std::size_t index, const char* why) {
  const ZkEntryState gone = entries_[index];
  const std::uint64_t lowest_before = entries_.front().seq;
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(index));
  ++deletes_;
  last_delete_wakeups_ = 0;
  ctx.note(why, gone.client, static_cast<std::int64_t>(gone.seq));
  // exists watches on this entry fire (one-shot)...
  std::size_t kept = 0;
  for (std::size_t i = 0; i < watches_.size(); ++i) {
    const ZkWatchState w = watches_[i];
    if (!w.child && w.seq == gone.seq) {
      ctx.send(w.client, ZkWatchEvent{gone.seq, true, false});
      if (waiting(w.session, lowest_before)) ++wakeups_, ++wakeups_on_delete_, ++last_delete_wakeups_;
    } else {
      watches_[kept++] = w;
    }
  }
  watches_.resize(kept);
  // ...and so does every child watch on /lock.
  fire_child_watches(ctx, gone.seq, true, lowest_before);
  if (!entries_.empty()) ctx.note("lowest entry", entries_.front().client, static_cast<std::int64_t>(entries_.front().seq));
}

void CoordService::on_timer(ProcessContext& ctx, std::uint32_t kind) {
  if (kind != kSweep) return;
  const SimTimeUs now = ctx.monotonic_now_us();
  for (std::size_t i = 0; i < sessions_.size();) {
    if (now - sessions_[i].last_heard_mono_us < session_timeout_us_) {
      ++i;
      continue;
    }
    const ZkSessionState dead = sessions_[i];
    sessions_.erase(sessions_.begin() + static_cast<std::ptrdiff_t>(i));
    ++sessions_expired_;
    ctx.note("session expired", dead.client, static_cast<std::int64_t>(dead.id));
    std::erase_if(watches_, [&](const ZkWatchState& w) { return w.session == dead.id; });
    for (std::size_t e = 0; e < entries_.size();) {
      if (entries_[e].session == dead.id) remove_entry(ctx, e, "ephemeral entry gone");
      else ++e;
    }
  }
  sweep_timer_ = ctx.set_timer(std::max<SimTimeUs>(session_timeout_us_ / 4, kUsPerMs), kSweep);
}

void CoordService::on_message(ProcessContext& ctx, const Message& message) {
  const NodeId client = message.from;
  auto reply = [&](ZkOp op, std::uint64_t request_id, std::uint64_t sid, bool ok, std::uint64_t a = 0,
                   std::uint64_t b = 0, std::uint64_t c = 0) {
    ctx.send(client, ZkReply{op, request_id, sid, ok, a, b, c});
  };
  if (const auto* connect = std::get_if<ZkConnect>(&message.payload)) {
    const std::uint64_t id = next_session_++;
    sessions_.push_back({id, client, ctx.monotonic_now_us()});
    ctx.note("session opened", client, static_cast<std::int64_t>(id));
    reply(ZkOp::connect, connect->request_id, id, true, id);
    return;
  }
  // Every other request names a session; any request keeps it alive.
  std::uint64_t sid = 0;
  std::visit([&](const auto& p) {
    if constexpr (requires { p.session; }) sid = p.session;
  }, message.payload);
  ZkSessionState* s = session(sid);
  if (s != nullptr) s->last_heard_mono_us = ctx.monotonic_now_us();

  if (const auto* ping = std::get_if<ZkPing>(&message.payload)) {
    // The answer carries the lowest entry: a waiter whose wake-up was lost on the way sees it is
    // first in line (ZooKeeper's clients get missed watches back when they reconnect).
    reply(ZkOp::ping, ping->request_id, sid, s != nullptr, entries_.empty() ? 0 : entries_.front().seq);
  } else if (const auto* create = std::get_if<ZkCreate>(&message.payload)) {
    if (s == nullptr) return reply(ZkOp::create, create->request_id, sid, false);
    // One entry per session in this recipe: a retried create gets the entry it already made.
    for (const auto& e : entries_)
      if (e.session == sid) return reply(ZkOp::create, create->request_id, sid, true, e.seq);
    const std::uint64_t seq = next_seq_++;
    const std::uint64_t lowest_before = entries_.empty() ? 0 : entries_.front().seq;
    entries_.push_back({seq, sid, client});
    ctx.note("entry created", client, static_cast<std::int64_t>(seq));
    fire_child_watches(ctx, seq, false, lowest_before);
    reply(ZkOp::create, create->request_id, sid, true, seq);
  } else if (const auto* children = std::get_if<ZkGetChildren>(&message.payload)) {
    if (s == nullptr) return reply(ZkOp::children, children->request_id, sid, false);
    std::uint64_t before = 0;
    for (const auto& e : entries_)
      if (e.seq < children->seq) before = e.seq;
    if (children->watch) {
      const bool already = std::any_of(watches_.begin(), watches_.end(), [&](const ZkWatchState& w) {
        return w.child && w.session == sid;
      });
      if (!already) watches_.push_back({client, sid, 0, true});
    }
    reply(ZkOp::children, children->request_id, sid, true, entries_.empty() ? 0 : entries_.front().seq, before,
          entries_.size());
  } else if (const auto* exists = std::get_if<ZkExists>(&message.payload)) {
    if (s == nullptr) return reply(ZkOp::exists, exists->request_id, sid, false);
    const bool there = std::any_of(entries_.begin(), entries_.end(), [&](const ZkEntryState& e) { return e.seq == exists->seq; });
    if (there && exists->watch) {
      const bool already = std::any_of(watches_.begin(), watches_.end(), [&](const ZkWatchState& w) {
        return !w.child && w.session == sid && w.seq == exists->seq;
      });
      if (!already) watches_.push_back({client, sid, exists->seq, false});
    }
    reply(ZkOp::exists, exists->request_id, sid, true, there ? 1 : 0);
  } else if (const auto* remove = std::get_if<ZkDelete>(&message.payload)) {
    for (std::size_t e = 0; e < entries_.size(); ++e) {
      if (entries_[e].seq == remove->seq && entries_[e].session == sid) {
        remove_entry(ctx, e, "entry deleted");
        return reply(ZkOp::remove, remove->request_id, sid, true);
      }
    }
    reply(ZkOp::remove, remove->request_id, sid, false);
  }
}

std::string CoordService::status() const {
  return std::to_string(entries_.size()) + " entries, " + std::to_string(sessions_.size()) + " sessions, " +
         std::to_string(wakeups_) + " wake-ups";
}

Inspection CoordService::inspect() const {
  std::string list;
  for (const auto& e : entries_) list += (list.empty() ? "" : ", ") + std::to_string(e.seq);
  return {{"/lock entries", list.empty() ? "(none)" : list},
          {"sessions", std::to_string(sessions_.size())},
          {"session timeout", format_duration(session_timeout_us_)},
          {"watches set", std::to_string(watches_.size())},
          {"wake-ups (watch events)", std::to_string(wakeups_)},
          {"releases", std::to_string(deletes_)},
          {"wake-ups per release", deletes_ ? std::to_string(wakeups_on_delete_ / deletes_) + "." +
                                                  std::to_string(wakeups_on_delete_ * 10 / deletes_ % 10)
                                            : "-"},
          {"sessions expired", std::to_string(sessions_expired_)}};
}

void CoordService::hash_into(Hasher& h) const {
  h.i64(session_timeout_us_).u64(next_session_).u64(next_seq_).u64(wakeups_).u64(wakeups_on_delete_).u64(deletes_);
  h.u64(last_delete_wakeups_).u64(sessions_expired_).u64(sweep_timer_);
  h.u64(sessions_.size()).u64(entries_.size()).u64(watches_.size());
  for (const auto& s : sessions_) h.u64(s.id).u64(s.client).i64(s.last_heard_mono_us);
  for (const auto& e : entries_) h.u64(e.seq).u64(e.session).u64(e.client);
  for (const auto& w : watches_) h.u64(w.client).u64(w.session).u64(w.seq).boolean(w.child);
}

// ---------------------------------------------------------------- client

void QueueLockClient::on_start(ProcessContext& ctx) {
  connect(ctx);
  program_start(ctx);
}

void QueueLockClient::connect(ProcessContext& ctx) {
  look_again_ = false;
  session_ = 0;
  seq_ = 0;
  watching_ = 0;
  connect_sent_mono_us_ = ctx.monotonic_now_us();
  request(ctx, Step::connect);
}

void QueueLockClient::request(ProcessContext& ctx, Step step) {
  step_ = step;
  ++request_id_;
  send_pending(ctx);
}

void QueueLockClient::send_pending(ProcessContext& ctx) {
  const NodeId service = ctx.find_role(NodeRole::coord_service);
  cancel(ctx, resend_timer_);
  if (step_ == Step::none) return;
  if (service != kNoNode) {
    switch (step_) {
      case Step::none: break;
      case Step::connect: ctx.send(service, ZkConnect{request_id_}); break;
      case Step::create: ctx.send(service, ZkCreate{request_id_, session_}); break;
      case Step::children:
        ctx.send(service, ZkGetChildren{request_id_, session_, seq_, config_.queue_watch == QueueWatch::herd});
        break;
      case Step::exists: ctx.send(service, ZkExists{request_id_, session_, watching_, true}); break;
      case Step::remove: ctx.send(service, ZkDelete{request_id_, session_, seq_}); break;
    }
  }
  resend_timer_ = ctx.set_timer(config_.retry_us * 4, kResend);
}

void QueueLockClient::begin_acquire(ProcessContext& ctx) {
  if (session_ == 0) return;  // connecting: the lock request follows the session
  if (step_ != Step::none) return;
  request(ctx, seq_ == 0 ? Step::create : Step::children);
}

void QueueLockClient::release_lock(ProcessContext& ctx) {
  if (seq_ == 0 || session_ == 0) return;
  set_phase(LockPhase::releasing);
  request(ctx, Step::remove);
}

void QueueLockClient::session_lost(ProcessContext& ctx) {
  ++sessions_lost_;
  ctx.note("session lost", kNoNode, static_cast<std::int64_t>(session_));
  const LockPhase before = phase();
  if (before == LockPhase::holding || before == LockPhase::writing) lost(ctx);
  if (before == LockPhase::releasing) released(ctx);
  cancel(ctx, ping_timer_);
  connect(ctx);
}

void QueueLockClient::on_message(ProcessContext& ctx, const Message& message) {
  if (program_message(ctx, message)) return;
  if (const auto* event = std::get_if<ZkWatchEvent>(&message.payload)) {
    ++wakeups_;
    if (phase() != LockPhase::acquiring || seq_ == 0) return;
    if (config_.queue_watch == QueueWatch::predecessor && (event->child_watch || event->seq != watching_)) return;
    if (step_ != Step::none) {
      // The network here does not keep a session's messages in order (ZooKeeper's TCP does): the
      // watch fired before the answer that set it arrived. Look again once that answer is in.
      look_again_ = true;
      return;
    }
    ctx.note("woken", message.from, static_cast<std::int64_t>(event->seq));
    watching_ = 0;
    request(ctx, Step::children);
    return;
  }
  const auto* reply = std::get_if<ZkReply>(&message.payload);
  if (reply == nullptr) return;
  if (reply->op == ZkOp::ping) {
    if (reply->request_id != ping_request_ || reply->session != session_ || session_ == 0) return;
    if (!reply->ok) return session_lost(ctx);
    lease_until_mono_us_ = lease_from(ping_sent_mono_us_);
    extend_lease(ctx, lease_until_mono_us_);
    if (phase() == LockPhase::acquiring && seq_ != 0 && step_ == Step::none && reply->a == seq_) {
      ctx.note("missed wake-up", message.from, static_cast<std::int64_t>(seq_));
      request(ctx, Step::children);
    }
    return;
  }
  if (reply->request_id != request_id_ || step_ == Step::none) return;
  if (!reply->ok && reply->op != ZkOp::remove && reply->op != ZkOp::exists) return session_lost(ctx);
  const Step step = step_;
  step_ = Step::none;
  cancel(ctx, resend_timer_);
  switch (step) {
    case Step::none: return;
    case Step::connect:
      session_ = reply->a;
      lease_until_mono_us_ = lease_from(connect_sent_mono_us_);
      cancel(ctx, ping_timer_);
      ping_timer_ = ctx.set_timer(config_.session_timeout_us / 3, kPing);
      if (phase() == LockPhase::acquiring) request(ctx, Step::create);
      return;
    case Step::create:
      seq_ = reply->a;
      request(ctx, Step::children);
      return;
    case Step::children:
      if (phase() != LockPhase::acquiring) return;
      if (reply->a == seq_) {
        // Our entry is the lowest, but only while our session lives: if we cannot vouch for it any
        // more (we were paused, or cut off), the entry may be gone already.
        if (ctx.monotonic_now_us() >= lease_until_mono_us_) return session_lost(ctx);
        entered(ctx, seq_, lease_until_mono_us_, true);
      } else if (config_.queue_watch == QueueWatch::predecessor) {
        look_again_ = false;
        watching_ = reply->b;
        if (watching_ == 0) request(ctx, Step::children);  // (cannot happen: lowest is someone else's)
        else request(ctx, Step::exists);
      } else if (look_again_) {  // herd: the child watch already fired
        look_again_ = false;
        request(ctx, Step::children);
      }
      // otherwise the watch is set; wait for it to fire
      return;
    case Step::exists:
      if (phase() != LockPhase::acquiring) return;
      if (reply->a == 0 || look_again_) {  // gone before the watch was set, or the watch already fired
        look_again_ = false;
        request(ctx, Step::children);
      }
      return;
    case Step::remove:
      seq_ = 0;
      released(ctx);
      return;
  }
}

void QueueLockClient::on_timer(ProcessContext& ctx, std::uint32_t kind) {
  if (program_timer(ctx, kind)) return;
  if (kind == kPing) {
    ping_timer_ = 0;
    if (session_ == 0) return;
    if (ctx.monotonic_now_us() >= lease_until_mono_us_) return session_lost(ctx);  // no answer for a whole timeout
    const NodeId service = ctx.find_role(NodeRole::coord_service);
    ++ping_request_;  // pings count on their own: a pending request keeps its id
    ping_sent_mono_us_ = ctx.monotonic_now_us();
    if (service != kNoNode) ctx.send(service, ZkPing{ping_request_, session_});
    ping_timer_ = ctx.set_timer(config_.session_timeout_us / 3, kPing);
  } else if (kind == kResend) {
    resend_timer_ = 0;
    send_pending(ctx);
  }
}

void QueueLockClient::on_crash() {
  program_crash();
  session_ = seq_ = watching_ = 0;
  step_ = Step::none;
  look_again_ = false;
  ping_timer_ = resend_timer_ = 0;
  lease_until_mono_us_ = 0;
}

std::string QueueLockClient::status() const {
  if (session_ == 0) return "connecting";
  if (critical_section().inside) return "HOLDS the lock (entry " + std::to_string(seq_) + ")";
  if (phase() == LockPhase::acquiring && seq_ != 0)
    return "entry " + std::to_string(seq_) + (watching_ ? ", watching " + std::to_string(watching_) : ", waiting");
  return lock_phase_name(phase());
}

Inspection QueueLockClient::inspect() const {
  Inspection out = program_inspection();
  out.push_back({"session", session_ ? std::to_string(session_) : "(none)"});
  out.push_back({"entry", seq_ ? std::to_string(seq_) : "-"});
  out.push_back({"watching", watching_ ? "entry " + std::to_string(watching_) : "-"});
  out.push_back({"watch mode", queue_watch_name(config_.queue_watch)});
  out.push_back({"wake-ups received", std::to_string(wakeups_)});
  if (sessions_lost_) out.push_back({"sessions lost", std::to_string(sessions_lost_)});
  return out;
}

void QueueLockClient::hash_into(Hasher& h) const {
  hash_program(h);
  h.u64(session_).u64(seq_).u64(watching_).u64(static_cast<std::uint64_t>(step_)).u64(request_id_);
  h.i64(connect_sent_mono_us_).u64(ping_request_).i64(ping_sent_mono_us_).i64(lease_until_mono_us_);
  h.u64(ping_timer_).u64(resend_timer_).u64(wakeups_).u64(sessions_lost_).boolean(look_again_);
}

}  // namespace dsplay
