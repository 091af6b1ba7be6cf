// Ticket lock, the distributed form of the ticket spinlock: a client first takes a number
// (TicketRequest -> TicketIssued), then waits until the coordinator serves that number
// (TicketGrant). Grants follow ticket order strictly (FIFO), so nobody is overtaken: fairness you
// can read off the queue. A retried request keeps its ticket (same request id, same number), so
// a lost message does not cost a client its place. The coordinator's counters and queue are on
// disk (durable); the ticket number is a fencing token for the storage node.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/locks/lock_client.hpp"
#include "core/locks/lock_server.hpp"

namespace dsplay {

struct TicketEntry {
  std::uint64_t ticket = 0;
  NodeId client = kNoNode;
  std::uint64_t request_id = 0;
  SimTimeUs issued_us = 0;  // true time, for the fairness view
  bool operator==(const TicketEntry&) const = default;
};

class TicketCoordinator : public LockServerBase<TicketCoordinator> {
 public:
  static constexpr const char* kServerName = "the ticket coordinator";
  void on_start(ProcessContext& ctx);
  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext&, std::uint32_t) {}
  void on_crash() {}  // tickets, queue and holder are on disk
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const TicketCoordinator&) const = default;

  const TicketEntry& holder() const { return holder_; }   // ticket 0: nobody
  const std::vector<TicketEntry>& queue() const { return queue_; }  // ascending ticket
  std::uint64_t next_ticket() const { return next_ticket_; }
  std::uint64_t grants() const { return grants_; }

 private:
  void serve_next(ProcessContext& ctx);

  std::uint64_t next_ticket_ = 1;
  TicketEntry holder_;
  std::vector<TicketEntry> queue_;
  std::uint64_t grants_ = 0;
};

class TicketClient : public LocksFamilyClient<TicketClient> {
 public:
  using LocksFamilyClient::LocksFamilyClient;

  void on_message(ProcessContext& ctx, const Message& message);
  void on_timer(ProcessContext& ctx, std::uint32_t kind);
  void on_crash();
  std::string status() const;
  Inspection inspect() const;
  void hash_into(Hasher& h) const;
  bool operator==(const TicketClient&) const = default;

  std::uint64_t ticket() const { return ticket_; }  // 0: none yet
  std::uint64_t serving() const { return serving_; }
  SimTimeUs last_wait_us() const { return last_wait_us_; }
  SimTimeUs max_wait_us() const { return max_wait_us_; }

  enum TimerKind : std::uint32_t { kRetry = 1 };

  // LockClientBase protocol
  void begin_acquire(ProcessContext& ctx);
  void release_lock(ProcessContext& ctx);

 private:
  void send_request(ProcessContext& ctx);

  std::uint64_t request_id_ = 0;
  std::uint64_t ticket_ = 0;
  std::uint64_t serving_ = 0;
  SimTimeUs asked_mono_us_ = 0;
  SimTimeUs last_wait_us_ = 0;
  SimTimeUs max_wait_us_ = 0;
  std::uint64_t retry_timer_ = 0;
};

}  // namespace dsplay
