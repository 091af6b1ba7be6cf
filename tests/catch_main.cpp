// Catch2 v2 main for dsplay_tests (kept in its own file: the slow-to-compile runner is built once).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
