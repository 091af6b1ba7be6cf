// The lock service's state machine (see lock_table.hpp).
#include "core/raft/lock_table.hpp"

#include <algorithm>

namespace dsplay {

const LockTable::Session* LockTable::session(std::uint64_t id) const {
  for (const Session& s : sessions_)
    if (s.id == id) return &s;
  return nullptr;
}

LockTable::Session* LockTable::find_session(std::uint64_t id) {
  for (Session& s : sessions_)
    if (s.id == id) return &s;
  return nullptr;
}

const LockTable::ClientRecord* LockTable::client_record(NodeId client) const {
  for (const ClientRecord& r : clients_)
    if (r.client == client) return &r;
  return nullptr;
}

RaftApplyResult LockTable::apply(std::uint64_t index, const RaftCommand& command) {
  applied_ = index;
  if (command.client == kNoNode) return execute(index, command);
  auto record = std::find_if(clients_.begin(), clients_.end(), [&](const ClientRecord& r) { return r.client == command.client; });
  if (record != clients_.end() && command.request_id <= record->request_id) {
    // A retried request that is already in the log more than once: answer, do not execute again.
    return record->request_id == command.request_id ? record->result : RaftApplyResult{};
  }
  const RaftApplyResult result = execute(index, command);
  if (record == clients_.end()) {
    clients_.push_back({command.client, command.request_id, result});
  } else {
    record->request_id = command.request_id;
    record->result = result;
  }
  return result;
}

RaftApplyResult LockTable::execute(std::uint64_t index, const RaftCommand& command) {
  const auto lock_id = std::clamp<std::int64_t>(command.arg, 0, kMaxLocks - 1);
  switch (command.op) {
    case RaftOp::noop: return {};
    case RaftOp::put:
      register_ += command.arg;
      ++puts_;
      return {RaftClientStatus::ok, puts_};
    case RaftOp::session_open:
      sessions_.push_back({index, command.client, true, index});
      return {RaftClientStatus::ok, index};
    case RaftOp::keepalive: {
      Session* s = find_session(command.session);
      if (s == nullptr || !s->alive) return {RaftClientStatus::no_session, 0};
      s->last_activity = index;
      return {RaftClientStatus::ok, command.session};
    }
    case RaftOp::acquire: {
      Session* s = find_session(command.session);
      if (s == nullptr || !s->alive) return {RaftClientStatus::no_session, 0};
      s->last_activity = index;
      if (locks_.size() <= static_cast<std::size_t>(lock_id)) locks_.resize(static_cast<std::size_t>(lock_id) + 1);
      Lock& lock = locks_[static_cast<std::size_t>(lock_id)];
      if (lock.session == command.session) return {RaftClientStatus::ok, lock.token};
      if (lock.session != 0) return {RaftClientStatus::busy, lock.session};
      lock.session = command.session;
      lock.token = index;  // the fencing token: this entry's log index, larger than every earlier grant's
      ++lock.grants;
      return {RaftClientStatus::ok, index};
    }
    case RaftOp::release: {
      if (static_cast<std::size_t>(lock_id) < locks_.size()) {
        Lock& lock = locks_[static_cast<std::size_t>(lock_id)];
        if (lock.session == command.session && command.session != 0) lock.session = 0;
      }
      Session* s = find_session(command.session);
      if (s == nullptr || !s->alive) return {RaftClientStatus::no_session, 0};
      s->last_activity = index;
      return {RaftClientStatus::ok, 0};
    }
    case RaftOp::expire: {
      Session* s = find_session(command.session);
      if (s == nullptr || !s->alive) return {};
      if (s->last_activity > static_cast<std::uint64_t>(command.arg)) return {};  // it was active after all
      s->alive = false;
      for (Lock& lock : locks_)
        if (lock.session == command.session) lock.session = 0;
      return {};
    }
  }
  return {};
}

void LockTable::hash_into(Hasher& h) const {
  h.u64(sessions_.size()).u64(locks_.size()).u64(clients_.size()).i64(register_).u64(puts_).u64(applied_);
  for (const Session& s : sessions_) h.u64(s.id).u64(s.client).boolean(s.alive).u64(s.last_activity);
  for (const Lock& l : locks_) h.u64(l.session).u64(l.token).u64(l.grants);
  for (const ClientRecord& r : clients_)
    h.u64(r.client).u64(r.request_id).u64(static_cast<std::uint64_t>(r.result.status)).u64(r.result.value);
}

}  // namespace dsplay
