// Names of the lock family's enums (see locks_config.hpp and lock_client.hpp).
#include "core/locks/lock_client.hpp"

#include <cstring>

namespace dsplay {

const char* lock_phase_name(LockPhase phase) {
  switch (phase) {
    case LockPhase::idle: return "idle";
    case LockPhase::acquiring: return "acquiring";
    case LockPhase::holding: return "holding";
    case LockPhase::writing: return "writing";
    case LockPhase::releasing: return "releasing";
  }
  return "?";
}

namespace {
constexpr const char* kRedisVariants[] = {"naive", "atomic", "fenced"};
constexpr const char* kQueueWatches[] = {"predecessor", "herd"};
}  // namespace

const char* redis_variant_name(RedisVariant variant) { return kRedisVariants[static_cast<int>(variant)]; }

bool parse_redis_variant(const char* text, RedisVariant& out) {
  for (int i = 0; i < 3; ++i) {
    if (std::strcmp(text, kRedisVariants[i]) == 0) {
      out = static_cast<RedisVariant>(i);
      return true;
    }
  }
  return false;
}

const char* queue_watch_name(QueueWatch watch) { return kQueueWatches[static_cast<int>(watch)]; }

bool parse_queue_watch(const char* text, QueueWatch& out) {
  for (int i = 0; i < 2; ++i) {
    if (std::strcmp(text, kQueueWatches[i]) == 0) {
      out = static_cast<QueueWatch>(i);
      return true;
    }
  }
  return false;
}

}  // namespace dsplay
