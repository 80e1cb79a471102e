/* Minimal TAP helpers for host unit tests that do not use cmocka. */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H
#include <stdio.h>
static int tap_n, tap_failed;
#define TAP_OK(cond, ...) do { tap_n++; if (cond) { printf("ok %d - ", tap_n); } \
	else { tap_failed++; printf("not ok %d - ", tap_n); } printf(__VA_ARGS__); printf("\n"); } while (0)
#define TAP_DONE() (printf("1..%d\n", tap_n), tap_failed ? 1 : 0)
#endif
