// libFuzzer target for the scenario parser: any bytes must give a result with errors, never a
// crash, a throw, undefined behaviour or a hang (built with ASan/UBSan by the fuzz preset).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = dsplay::parse_scenario(text, "fuzz-input");
  static_cast<void>(result);
  return 0;
}
