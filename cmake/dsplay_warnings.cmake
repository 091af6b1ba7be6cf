# Warning flags for dsplay's own targets (third-party code such as the wasm ImGui build gets none):
# -Wall -Wextra -Wpedantic everywhere, -Werror when DSPLAY_WERROR is ON (CI).
function(dsplay_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(DSPLAY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
