// The strict JSON reading shared by the scenario and lesson formats: a syntax check that reports
// the first error as text (never throws, so it works with exceptions off in wasm), and a Reader
// whose every access is type-checked and whose errors read "file.json: $.path.key: problem".
// Internal to core/ (it exposes nlohmann::json); the formats' public APIs take and give text.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/sim_time.hpp"

namespace dsplay::json_reading {

using nlohmann::json;

// The document, or nullopt and the parser's first syntax error (without nlohmann's "[json.exception…]" prefix).
std::optional<json> parse_json(std::string_view text, std::string& error);
// "integer", "number", "string", "object", ... as the error messages name them.
std::string type_name(const json& j);

// Reads typed fields of objects, collecting one error line per problem. Each getter returns true
// when it stored a value; a missing optional field is no error, a present field of the wrong type
// or out of range is.
class Reader {
 public:
  Reader(std::string source, std::vector<std::string>& errors) : source_(std::move(source)), errors_(errors) {}

  void error(const std::string& path, const std::string& message);
  std::size_t error_count() const { return errors_.size(); }
  const std::string& source() const { return source_; }
  std::vector<std::string>& errors() { return errors_; }

  // True if j is an object; each key not in `allowed` is an error ("unknown key (expected one of: …)").
  bool object(const json& j, const std::string& path, std::initializer_list<const char*> allowed) {
    return object(j, path, std::vector<const char*>(allowed));
  }
  bool object(const json& j, const std::string& path, const std::vector<const char*>& allowed);
  const json* field(const json& obj, const char* key, const std::string& path, bool required);

  bool string(const json& obj, const char* key, const std::string& path, std::string& out, bool required = false);
  // A string, or an array of strings joined as paragraphs (long narration is easier to edit so).
  bool text(const json& obj, const char* key, const std::string& path, std::string& out, bool required = false);
  bool boolean(const json& obj, const char* key, const std::string& path, bool& out);
  bool integer(const json& obj, const char* key, const std::string& path, std::int64_t lo, std::int64_t hi,
               std::int64_t& out, bool required = false);
  bool number(const json& obj, const char* key, const std::string& path, double& out, bool required = false);
  // An integer of microseconds or a text like "250ms" / "1.5s", within [lo, hi].
  bool duration(const json& obj, const char* key, const std::string& path, SimTimeUs lo, SimTimeUs hi, SimTimeUs& out,
                bool required = false);
  // A probability in [0, 1], stored as parts per million.
  bool probability_ppm(const json& obj, const char* key, const std::string& path, std::uint32_t& out);

 private:
  std::string source_;
  std::vector<std::string>& errors_;
};

}  // namespace dsplay::json_reading
